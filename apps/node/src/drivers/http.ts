import http from "node:http";
import https from "node:https";
import type { Answer, Raw } from "../mapping";
import { matchGroups } from "./text";
import { FunctionError, errorText, secretOf, type Driver } from "./types";

const MAX_BODY = 4 * 1024 * 1024;

export const httpDriver: Driver = async ({ task, fn, signal }) => {
  if (fn.request.protocol !== "http" || task.interface.protocol !== "http")
    throw new FunctionError("not an HTTP function");
  const request = fn.request;
  const iface = task.interface;
  const headers: Record<string, string> = { ...request.headers };
  if (iface.auth.scheme === "basic") {
    const user = secretOf(task, iface.auth.username) ?? "";
    const password = secretOf(task, iface.auth.password) ?? "";
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  } else if (iface.auth.scheme === "bearer") {
    headers.authorization = `Bearer ${secretOf(task, iface.auth.token) ?? ""}`;
  }
  let body: string | undefined;
  if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers["content-type"] ??= "application/json";
  }
  const port = task.port ?? iface.port;
  const where = `${iface.tls ? "https" : "http"}://${task.host}:${port}${request.path}`;

  const { status, text } = await new Promise<{ status: number; text: string }>(
    (resolve, reject) => {
      const options = {
        host: task.host,
        port,
        path: request.path,
        method: request.method,
        headers,
        signal,
        ...(iface.tls ? { rejectUnauthorized: iface.verifyTls } : {}),
      };
      const req = (iface.tls ? https : http).request(options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) {
            req.destroy(new Error(`the body is larger than ${MAX_BODY} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      });
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    },
  ).catch((error: unknown) => {
    if (signal.aborted)
      throw new FunctionError(`${request.method} ${where}: no answer within the timeout`);
    throw new FunctionError(`${request.method} ${where}: ${errorText(error)}`);
  });

  if (status < 200 || status > 299)
    throw new FunctionError(
      `${request.method} ${where}: status ${status}${status === 401 || status === 403 ? " (check the interface's credentials)" : ""}`,
    );
  if (request.format === "text") return matchGroups(text, request.pattern ?? "", request.flags);
  try {
    return { type: "json", document: JSON.parse(text) as Raw } satisfies Answer;
  } catch {
    return { type: "malformed", detail: `the body is not JSON: "${text.trim().slice(0, 60)}"` };
  }
};
