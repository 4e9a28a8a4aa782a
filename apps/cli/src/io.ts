/** Where a command writes, and what tests replace: the transport, the config file, the secret prompt. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Overrides the transport (tests route it to an in-process server). */
  fetch?: typeof fetch;
  /** Overrides the config file holding contexts and credentials (default: see env.ts). */
  configFile?: string;
  /** Reads a secret such as a password (default: the terminal, without echo, or standard input). */
  readSecret?: (prompt: string) => Promise<string>;
}

export const defaultIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};
