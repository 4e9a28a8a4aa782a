import { Command } from "commander";
import { authCommands } from "./commands/auth";
import { backupCommands } from "./commands/backup";
import { bindingCommand } from "./commands/binding";
import { bootstrapCommand } from "./commands/bootstrap";
import { componentCommand } from "./commands/component";
import { contextCommand } from "./commands/context";
import { locationCommand } from "./commands/location";
import { migrateCommand } from "./commands/migrate";
import { nodeCommand } from "./commands/node";
import { samplesCommand } from "./commands/samples";
import { seedCommand } from "./commands/seed";
import { signalCommand } from "./commands/signal";
import { statusCommand } from "./commands/status";
import { systemCommand } from "./commands/system";
import { templateCommand } from "./commands/template";
import { valuesCommand } from "./commands/values";
import { defaultIo, type CliIo } from "./io";

/** The commands that talk to a server, each group in its own file. */
export function serverCommands(io: CliIo = defaultIo): Command[] {
  return [
    ...authCommands(io),
    contextCommand(io),
    locationCommand(io),
    systemCommand(io),
    componentCommand(io),
    templateCommand(io),
    signalCommand(io),
    nodeCommand(io),
    bindingCommand("tag", io),
    bindingCommand("variable", io),
    valuesCommand(io),
    samplesCommand(io),
  ];
}

/** The whole `omniglass` program (docs/reference/cli.md is generated from its help). */
export function createProgram(io: CliIo = defaultIo): Command {
  const program = new Command()
    .name("omniglass")
    .description("The Omniglass command line: operate an Omniglass instance.")
    .version("0.1.0")
    .showHelpAfterError();
  program.addCommand(statusCommand(io));
  program.addCommand(migrateCommand());
  program.addCommand(bootstrapCommand());
  program.addCommand(seedCommand());
  for (const command of backupCommands()) program.addCommand(command);
  for (const command of serverCommands(io)) program.addCommand(command);
  return program;
}
