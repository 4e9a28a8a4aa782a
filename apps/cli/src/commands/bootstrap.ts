import { Command } from "commander";
import { randomUUID } from "node:crypto";
import { connectDatabase, unsafeBootstrapOwner } from "@omniglass/gateway";
import { resolveDatabaseUrl } from "../env";

/**
 * `omniglass bootstrap <username>`: make sure a first owner exists (idempotent) and print a new
 * API token for it as the last line of output.
 */
export function bootstrapCommand() {
  return new Command("bootstrap")
    .description("Ensure <username> is an owner on scope all and print a new API token (last line)")
    .argument("<username>", "the owner's username (lowercase letters, digits, dashes)")
    .option("--password-stdin", "also set the owner's console password, read from standard input")
    .option(
      "--database-url <url>",
      "PostgreSQL URL (default: DATABASE_URL, else the embedded database of npm start)",
    )
    .action(
      async (username: string, options: { passwordStdin?: boolean; databaseUrl?: string }) => {
        const url = resolveDatabaseUrl(options.databaseUrl);
        if (!url) {
          console.error(
            "omniglass: no database: pass --database-url, set DATABASE_URL, or run `npm start` first",
          );
          process.exitCode = 2;
          return;
        }
        const password = options.passwordStdin ? await readStdin() : undefined;
        if (password !== undefined && password.length < 12) {
          console.error("omniglass: the password must be at least 12 characters");
          process.exitCode = 2;
          return;
        }
        const { db, close } = connectDatabase({ url, max: 1, applicationName: "omniglass-cli" });
        try {
          const result = await unsafeBootstrapOwner({
            db,
            username,
            password,
            meta: {
              requestId: randomUUID(),
              source: "cli",
              actor: null,
              realActor: null,
              ip: null,
            },
          });
          console.log(
            `${result.createdPrincipal ? "created" : "found"} owner ${username}` +
              `${result.createdGrant ? ", granted owner on all" : ""}${result.passwordSet ? ", password set" : ""}`,
          );
          console.log(result.token);
        } catch (error) {
          console.error(`omniglass: ${(error as Error).message}`);
          process.exitCode = 1;
        } finally {
          await close();
        }
      },
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}
