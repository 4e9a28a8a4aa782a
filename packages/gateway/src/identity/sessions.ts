import { and, eq, isNull, sql } from "drizzle-orm";
import type { RequestMeta } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database } from "../db";
import { principal, session } from "../schema";
import { hashPassword, hashSecret, newSecret, verifyPassword } from "./secrets";

export const SESSION_TTL_MS = 12 * 3600 * 1000;

/** Verified against when the username is unknown, so both failures take the same time. */
let decoy: Promise<string> | null = null;

const refused = () => new OmniglassError("UNAUTHENTICATED", "Wrong username or password.");

/**
 * Signs a human in: checks the password (argon2id) and opens a session whose secret is returned
 * once, for the cookie. The same answer for an unknown user, a wrong password and a disabled or
 * password-less principal.
 */
export async function signIn({
  db,
  meta,
  username,
  password,
  userAgent,
}: {
  db: Database;
  meta: RequestMeta;
  username: string;
  password: string;
  userAgent: string | null;
}): Promise<{
  secret: string;
  expiresAt: Date;
  principal: { id: string; kind: "human"; name: string };
}> {
  const [found] = await db.select().from(principal).where(eq(principal.name, username));
  if (!found?.passwordHash || found.kind !== "human" || found.disabledAt) {
    await verifyPassword(await (decoy ??= hashPassword("decoy password, never valid")), password);
    throw refused();
  }
  if (!(await verifyPassword(found.passwordHash, password))) throw refused();
  const secret = newSecret("ogs_");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const who = { id: found.id, kind: "human" as const };
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(session)
      .values({
        id: uuidv7(),
        principalId: found.id,
        secretHash: secret.hash,
        expiresAt,
        ip: meta.ip,
        userAgent: userAgent?.slice(0, 300) ?? null,
      })
      .returning({
        id: session.id,
        principalId: session.principalId,
        expiresAt: session.expiresAt,
        ip: session.ip,
      });
    await writeAudit(
      tx,
      { ...meta, actor: who, realActor: who },
      { verb: "create", resource: "session", resourceId: created!.id, after: created },
    );
  });
  return {
    secret: secret.secret,
    expiresAt,
    principal: { id: found.id, kind: "human", name: found.name },
  };
}

/** Ends the session whose secret the cookie carries. Ending an ended session changes nothing. */
export async function signOut({
  db,
  meta,
  secret,
}: {
  db: Database;
  meta: RequestMeta;
  secret: string;
}): Promise<void> {
  await db.transaction(async (tx) => {
    const [ended] = await tx
      .update(session)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(session.secretHash, hashSecret(secret)), isNull(session.revokedAt)))
      .returning({
        id: session.id,
        principalId: session.principalId,
        revokedAt: session.revokedAt,
      });
    if (ended)
      await writeAudit(tx, meta, {
        verb: "delete",
        resource: "session",
        resourceId: ended.id,
        after: ended,
      });
  });
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** The principal's live sessions, newest first; `current` marks the one making the request. */
export async function listOwnSessions({
  db,
  principalId,
  currentSecret,
}: {
  db: Database;
  principalId: string;
  currentSecret: string | null;
}): Promise<SessionInfo[]> {
  const currentHash = currentSecret ? hashSecret(currentSecret) : null;
  const rows = await db
    .select()
    .from(session)
    .where(
      and(
        eq(session.principalId, principalId),
        isNull(session.revokedAt),
        sql`${session.expiresAt} > now()`,
      ),
    )
    .orderBy(sql`${session.createdAt} desc`)
    .limit(100);
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    ip: r.ip,
    userAgent: r.userAgent,
    current: r.secretHash === currentHash,
  }));
}

/** Ends one of the principal's own sessions (a stolen laptop's, say). Ending an ended one changes nothing. */
export async function revokeOwnSession({
  db,
  meta,
  principalId,
  sessionId,
}: {
  db: Database;
  meta: RequestMeta;
  principalId: string;
  sessionId: string;
}): Promise<void> {
  await db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: session.id, revokedAt: session.revokedAt })
      .from(session)
      .where(and(eq(session.id, sessionId), eq(session.principalId, principalId)));
    if (!found) throw new OmniglassError("NOT_FOUND", "No such session of yours.");
    if (found.revokedAt) return;
    const [ended] = await tx
      .update(session)
      .set({ revokedAt: sql`now()` })
      .where(eq(session.id, sessionId))
      .returning({
        id: session.id,
        principalId: session.principalId,
        revokedAt: session.revokedAt,
      });
    await writeAudit(tx, meta, {
      verb: "revoke",
      resource: "session",
      resourceId: sessionId,
      after: ended,
    });
  });
}
