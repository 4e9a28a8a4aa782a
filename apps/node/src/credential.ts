import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { NodeCredential, Worklist } from "@omniglass/contracts";

/** `<state>/credential.json`: the node's identity and API token (mode 0600). */
export function credentialPath(stateDir: string): string {
  return path.join(stateDir, "credential.json");
}

async function writePrivate(file: string, data: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}

export async function loadCredential(stateDir: string): Promise<NodeCredential | null> {
  let text: string;
  try {
    text = await readFile(credentialPath(stateDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const parsed = NodeCredential.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `${credentialPath(stateDir)} is not a node credential: delete it and enroll again`,
    );
  return parsed.data;
}

/** Exchanges the one-time enrollment token for the node's credential and keeps it. */
export async function enroll({
  omniglassUrl,
  stateDir,
  token,
  fetchImpl = fetch,
}: {
  omniglassUrl: string;
  stateDir: string;
  token: string;
  fetchImpl?: typeof fetch;
}): Promise<NodeCredential> {
  const url = `${omniglassUrl}/api/v1/nodes/enroll`;
  const response = await fetchImpl(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ token }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) {
    // The problem body names what is wrong; it never contains the token.
    const detail = (await response.text().catch(() => "")).slice(0, 300);
    throw new Error(`enrollment refused: POST ${url} answered ${response.status} ${detail}`);
  }
  const credential = NodeCredential.parse(await response.json());
  await writePrivate(credentialPath(stateDir), credential);
  return credential;
}

/** Where the worklist comes from: the platform over REST, or anything a test injects. */
export interface WorklistSource {
  fetch(): Promise<Worklist>;
}

export class WorklistAuthError extends Error {
  override name = "WorklistAuthError";
}

export function httpWorklistSource({
  omniglassUrl,
  token,
  fetchImpl = fetch,
}: {
  omniglassUrl: string;
  token: string;
  fetchImpl?: typeof fetch;
}): WorklistSource {
  const url = `${omniglassUrl}/api/v1/nodes/self/worklist`;
  return {
    fetch: async () => {
      const response = await fetchImpl(url, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        signal: AbortSignal.timeout(15_000),
      });
      if (response.status === 401 || response.status === 403) {
        throw new WorklistAuthError(
          `GET ${url} answered ${response.status}: the node's token is not accepted (revoked node?). Delete the credential and enroll again.`,
        );
      }
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
      const parsed = Worklist.safeParse(await response.json());
      if (!parsed.success) {
        throw new Error(
          `GET ${url}: not a worklist: ${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join(".")}: ${i.message}`)
            .join("; ")}`,
        );
      }
      return parsed.data;
    },
  };
}

/** `<state>/worklist.json`: the last worklist, so a restart keeps polling while the API is down. */
export function worklistPath(stateDir: string): string {
  return path.join(stateDir, "worklist.json");
}

export async function saveWorklist(stateDir: string, worklist: Worklist): Promise<void> {
  await writePrivate(worklistPath(stateDir), worklist);
}

export async function loadWorklist(stateDir: string): Promise<Worklist | null> {
  try {
    const parsed = Worklist.safeParse(JSON.parse(await readFile(worklistPath(stateDir), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
