import type { Command } from './command.js';
import { dbCommand } from './db.js';
import { demoCommand } from './demo.js';
import { explainCommand } from './explain.js';
import { importCommand } from './import.js';
import { profileCommand } from './profile.js';
import { pruneCommand } from './prune.js';
import { segmentCommand } from './segment.js';
import { serveCommand } from './serve.js';
import { validateCommand } from './validate.js';

/** Every `tideflow` command, in the order `tideflow help` lists them. */
export const commands: Command[] = [
  demoCommand, validateCommand, importCommand, profileCommand, segmentCommand, explainCommand, serveCommand, pruneCommand, dbCommand,
];
