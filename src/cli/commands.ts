import type { Command } from './command.js';

/** Every `tideflow` command, in the order `tideflow help` lists them. */
export const commands: Command[] = [];
