import type { Command } from './command.js';
import { demoCommand } from './demo.js';

/** Every `tideflow` command, in the order `tideflow help` lists them. */
export const commands: Command[] = [demoCommand];
