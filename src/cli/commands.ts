import type { Command } from './command.js';
import { dbCommand } from './db.js';
import { demoCommand } from './demo.js';
import { importCommand } from './import.js';
import { profileCommand } from './profile.js';
import { pruneCommand } from './prune.js';
import { serveCommand } from './serve.js';

/** Every `tideflow` command, in the order `tideflow help` lists them. */
export const commands: Command[] = [
  demoCommand, importCommand, profileCommand, serveCommand, pruneCommand, dbCommand,
];
