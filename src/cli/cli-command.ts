/** One `ae-assistant <name>` command. Returns the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** stdout is a terminal (progress bars); unset in tests and pipes. */
  isTTY?: boolean;
}
