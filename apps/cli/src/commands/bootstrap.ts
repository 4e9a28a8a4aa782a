import { Command } from "commander";
import { unsafeBootstrapOwner } from "@omniglass/gateway";
import { cliMeta, databaseUrlOrRefuse, onDatabase, withDatabaseUrl } from "../database";
import { readStdin } from "../prompt";

/**
 * `omniglass bootstrap <username>`: make sure a first owner exists (idempotent) and print a new
 * API token for it as the last line of output.
 */
export function bootstrapCommand() {
  return withDatabaseUrl(
    new Command("bootstrap")
      .description(
        "Ensure <username> is an owner on scope all and print a new API token (last line)",
      )
      .argument("<username>", "the owner's username (lowercase letters, digits, dashes)")
      .option(
        "--password-stdin",
        "also set the owner's console password, read from standard input",
      ),
  ).action(async (username: string, options: { passwordStdin?: boolean; databaseUrl?: string }) => {
    const url = databaseUrlOrRefuse(options.databaseUrl);
    if (!url) return;
    const password = options.passwordStdin ? await readStdin() : undefined;
    if (password !== undefined && password.length < 12) {
      console.error("omniglass: the password must be at least 12 characters");
      process.exitCode = 2;
      return;
    }
    await onDatabase(url, 1, async (db) => {
      const result = await unsafeBootstrapOwner({ db, username, password, meta: cliMeta() });
      console.log(
        `${result.createdPrincipal ? "created" : "found"} owner ${username}` +
          `${result.createdGrant ? ", granted owner on all" : ""}${result.passwordSet ? ", password set" : ""}`,
      );
      console.log(result.token);
    });
  });
}
