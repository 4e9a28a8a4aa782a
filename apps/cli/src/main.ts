import { Command } from "commander";
import { bootstrapCommand } from "./commands/bootstrap";
import { estateCommands } from "./commands/estate";
import { migrateCommand } from "./commands/migrate";
import { seedCommand } from "./commands/seed";
import { statusCommand } from "./commands/status";
import { telemetryCommands } from "./commands/telemetry";

const program = new Command()
  .name("omniglass")
  .description("The Omniglass command line: operate an Omniglass instance.")
  .version("0.1.0")
  .showHelpAfterError();

program.addCommand(statusCommand());
program.addCommand(migrateCommand());
program.addCommand(bootstrapCommand());
program.addCommand(seedCommand());
for (const command of estateCommands()) program.addCommand(command);
for (const command of telemetryCommands()) program.addCommand(command);

await program.parseAsync(process.argv);
