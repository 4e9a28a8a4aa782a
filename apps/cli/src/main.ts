import { Command } from "commander";
import { bootstrapCommand } from "./commands/bootstrap";
import { migrateCommand } from "./commands/migrate";
import { statusCommand } from "./commands/status";

const program = new Command()
  .name("omniglass")
  .description("The Omniglass command line: operate an Omniglass instance.")
  .version("0.1.0")
  .showHelpAfterError();

program.addCommand(statusCommand());
program.addCommand(migrateCommand());
program.addCommand(bootstrapCommand());

await program.parseAsync(process.argv);
