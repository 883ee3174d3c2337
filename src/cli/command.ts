import type { Config } from '../config/config.js';

/** Output sinks, so tests can capture what a command prints. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** One `tideflow <name>` command. `run` returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], config: Config, io: Io): Promise<number>;
}
