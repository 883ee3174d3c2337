import { auditCommand } from './audit.js';
import type { Command } from './command.js';
import { dbCommand } from './db.js';
import { deliveriesCommand } from './deliveries.js';
import { demoCommand } from './demo.js';
import { explainCommand } from './explain.js';
import { importCommand } from './import.js';
import { inboxCommand } from './inbox.js';
import { keysCommand } from './keys.js';
import { previewCommand } from './preview.js';
import { pauseCommand, resumeCommand } from './pause.js';
import { profileCommand } from './profile.js';
import { pruneCommand } from './prune.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { segmentCommand } from './segment.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { validateCommand } from './validate.js';
import { workCommand } from './work.js';

/** Every `tideflow` command, in the order `tideflow help` lists them. */
export const commands: Command[] = [
  demoCommand,
  validateCommand,
  importCommand,
  profileCommand,
  segmentCommand,
  explainCommand,
  previewCommand,
  simulateCommand,
  runCommand,
  deliveriesCommand,
  inboxCommand,
  pauseCommand,
  resumeCommand,
  reportCommand,
  serveCommand,
  workCommand,
  keysCommand,
  auditCommand,
  pruneCommand,
  dbCommand,
];
