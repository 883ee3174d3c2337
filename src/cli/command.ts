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
  /**
   * False for commands that never open the database; the others have the embedded one started
   * (when MONGODB_URI is unset) before they run. @defaultValue true
   */
  database?: false;
  run(args: string[], config: Config, io: Io): Promise<number>;
}
