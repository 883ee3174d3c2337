#!/usr/bin/env node
import { loadConfig, type Config } from './config/config.js';
import { embeddedStartedNotice, ensureEmbeddedServer } from './store/embedded-server.js';
import { ValidationError, ConfigError, ConflictError, NotFoundError, formatIssues } from './errors.js';
import { commands } from './cli/commands.js';
import type { Io } from './cli/command.js';
import { maskContact } from './domain/mask.js';

/** stdout carries the answer asked for; stderr is the log, masked (domain/mask.ts). */
const io: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${maskContact(l)}\n`) };

function help(): void {
  io.out('usage: tideflow <command> [options]\n');
  for (const c of commands) io.out(`  ${c.usage.padEnd(58)} ${c.summary}`);
}

/**
 * Starts the embedded database of TIDEFLOW_DATA_DIR (when MONGODB_URI is unset) before a command
 * that needs it, and says so when this command is the one that started it: it outlives the command.
 */
async function startEmbeddedDatabase(config: Config): Promise<void> {
  if (config.MONGODB_URI) return;
  const idleMinutes = config.TIDEFLOW_DB_IDLE_MINUTES;
  if ((await ensureEmbeddedServer(config.TIDEFLOW_DATA_DIR, { idleMinutes })).started)
    io.err(`tideflow: ${embeddedStartedNotice(config.TIDEFLOW_DATA_DIR, idleMinutes)}`);
}

/** Runs one command; exit 0 ok, 1 bad input or configuration, 2 unexpected failure. */
async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help();
    return name ? 0 : 1;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`tideflow: unknown command '${name}' (try 'tideflow help')`);
    return 1;
  }
  try {
    const config = loadConfig();
    if (command.database !== false) await startEmbeddedDatabase(config);
    return await command.run(args, config, io);
  } catch (err) {
    if (err instanceof ValidationError) io.err(formatIssues(err));
    else if (err instanceof ConfigError || err instanceof NotFoundError) io.err(`tideflow ${name}: ${err.message}`);
    else if (err instanceof ConflictError) {
      // The command was understood but the state forbids it (e.g. running a paused campaign).
      io.err(`tideflow ${name}: ${err.message}`);
      return 2;
    } else if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      io.err(`tideflow ${name}: ${err.message}\nusage: tideflow ${command.usage}`);
    else {
      io.err(
        `tideflow ${name}: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      return 2;
    }
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    io.err(String(err));
    process.exitCode = 2;
  },
);
