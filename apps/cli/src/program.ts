import { Command, Help, type HelpConfiguration, type Option } from "commander";
import { actionRuleCommand } from "./commands/action-rule";
import { alarmCommand } from "./commands/alarm";
import { assessCommand } from "./commands/assess";
import { authCommands } from "./commands/auth";
import { backupCommands } from "./commands/backup";
import { bindingCommand } from "./commands/binding";
import { briefCommand } from "./commands/brief";
import { bootstrapCommand } from "./commands/bootstrap";
import { componentCommand } from "./commands/component";
import { contextCommand } from "./commands/context";
import { collectorsCommand, schedulesCommand } from "./commands/operations";
import { deliveryCommand } from "./commands/delivery";
import { endpointCommand } from "./commands/endpoint";
import { estateCommand } from "./commands/estate";
import { healthCommand } from "./commands/health";
import { locationCommand } from "./commands/location";
import { maintenanceCommand } from "./commands/maintenance";
import { migrateCommand } from "./commands/migrate";
import { nodeCommand } from "./commands/node";
import { ruleCommand } from "./commands/rule";
import { samplesCommand } from "./commands/samples";
import { seedCommand } from "./commands/seed";
import { signalCommand } from "./commands/signal";
import { silenceCommand } from "./commands/silence";
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
    briefCommand(io),
    collectorsCommand(io),
    schedulesCommand(io),
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
    alarmCommand(io),
    ruleCommand(io),
    healthCommand(io),
    assessCommand(io),
    maintenanceCommand(io),
    silenceCommand(io),
    endpointCommand(io),
    actionRuleCommand(io),
    deliveryCommand(io),
    estateCommand(io),
  ];
}

const SHARED_OPTIONS = ["url", "token", "context", "json", "yaml", "help"];

/** Help lists a command's own flags first, then the connection and output flags every one takes. */
export const HELP: HelpConfiguration = {
  visibleOptions(this: Help, command: Command): Option[] {
    const options = Help.prototype.visibleOptions.call(this, command);
    const rank = (o: Option) => SHARED_OPTIONS.indexOf(o.attributeName());
    return [
      ...options.filter((o) => rank(o) < 0),
      ...options.filter((o) => rank(o) >= 0).sort((a, b) => rank(a) - rank(b)),
    ];
  },
};

function configureHelp(command: Command, configuration: HelpConfiguration) {
  command.configureHelp(configuration);
  for (const sub of command.commands) configureHelp(sub, configuration);
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
  configureHelp(program, HELP);
  return program;
}
