import { Command } from "commander";
import { migrateCommand } from "./commands/migrate";
import { statusCommand } from "./commands/status";

const program = new Command()
  .name("omniglass")
  .description("The Omniglass command line: operate an Omniglass instance.")
  .version("0.1.0")
  .showHelpAfterError();

program.addCommand(statusCommand());
program.addCommand(migrateCommand());

await program.parseAsync(process.argv);
