import { createReadStream, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NotFoundError, ValidationError, formatIssues } from '../errors.js';
import {
  eventImport,
  importNdjson,
  profileImport,
  type ImportSummary,
  type ImportTarget,
} from '../ingest/import-ndjson.js';
import { openTideflow, type Tideflow } from '../main.js';
import { openCampaignJobClient } from '../wiring/campaigns.js';
import type { Command, Io } from './command.js';
import type { IngestPorts } from '../ingest/ingest.js';

const HELP = `usage: tideflow import events|profiles <file.ndjson | -> [--batch-size 1000]

Streams a newline-delimited JSON file (one event, or one { "userId", ...profile fields } record,
per line; '-' reads standard input) into the database in batches, printing progress to stderr.

A batch is stored whole or not at all: a bad line (invalid JSON or a field that fails validation)
rejects its whole batch, and is reported with its line number and JSON path. The other batches are
still stored, and the command exits 1 after reporting. What was committed: every batch without a bad
line. Importing is idempotent (events by id, profiles by user id), so after fixing the file, import
it again: events already stored count as duplicates and change nothing.

Imported events that trigger an active campaign (e.g. a redeem) queue its evaluation for the
worker ('tideflow work' or 'serve'), once per campaign and event, as events posted to the API do;
events already older than the trigger's 'within' queue nothing.`;

/** At most this many problems are printed; the rest are counted. */
const MAX_REPORTED = 100;

export const importCommand: Command = {
  name: 'import',
  summary: 'stream events or profiles from an NDJSON file into the database',
  usage: 'import events|profiles <file.ndjson> [--batch-size 1000]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { 'batch-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    const [kind, file, ...extra] = positionals;
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if ((kind !== 'events' && kind !== 'profiles') || !file || extra.length > 0) {
      io.err(HELP);
      return 1;
    }
    const batchSize = Number(values['batch-size'] ?? 1000);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new ValidationError('invalid arguments', [{ path: '--batch-size', message: 'an integer from 1 to 10000' }]);
    }
    if (file !== '-' && !existsSync(file)) throw new NotFoundError(`no such file: ${file}`);
    const tf = await openTideflow(config);
    try {
      return await runImport(tf, kind, file, batchSize, io);
    } finally {
      await tf.close();
    }
  },
};

async function runImport(
  tf: Tideflow,
  kind: 'events' | 'profiles',
  file: string,
  batchSize: number,
  io: Io,
): Promise<number> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const name = file === '-' ? 'stdin' : file;
  const started = Date.now();
  let lastProgress = started;
  let reported = 0;
  const run = <T>(target: ImportTarget<T>): Promise<ImportSummary> =>
    importNdjson(input, target, {
      batchSize,
      onProgress: (s) => {
        if (Date.now() - lastProgress < 1000) return;
        lastProgress = Date.now();
        io.err(`import ${kind}: ${describe(s)} (${Math.round(s.lines / ((lastProgress - started) / 1000))} lines/s)`);
      },
      onRejected: (err) => {
        const room = MAX_REPORTED - reported;
        if (room > 0) io.err(formatIssues(new ValidationError(err.message, err.issues.slice(0, room), name)));
        reported += err.issues.length;
      },
    });
  const summary = kind === 'events' ? await importEvents(tf, run) : await run(profileImport(tf.profile));
  if (reported > MAX_REPORTED) io.err(`${name}: ${reported - MAX_REPORTED} more problems not shown`);
  io.out(`imported ${kind} from ${name}: ${describe(summary)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return summary.rejectedBatches > 0 ? 1 : 0;
}

/** Events go through ingest with the campaign trigger hook, as through the API. */
async function importEvents(
  tf: Tideflow,
  run: <T>(target: ImportTarget<T>) => Promise<ImportSummary>,
): Promise<ImportSummary> {
  const rt = await tf.campaigns();
  const jobs = openCampaignJobClient(tf.config, tf.db);
  try {
    const ingest: IngestPorts = {
      ...tf.ingest,
      triggers: rt.triggers(jobs.queue),
      maxClockSkewMs: tf.config.TIDEFLOW_MAX_CLOCK_SKEW_MS,
    };
    return await run(eventImport(ingest));
  } finally {
    await jobs.stop();
  }
}

function describe(s: ImportSummary): string {
  const counts = Object.entries(s.counts).map(([k, v]) => `${v} ${k}`);
  const n = s.rejectedBatches;
  const rejected = n > 0 ? [`${n} batch${n === 1 ? '' : 'es'} rejected (${s.rejectedLines} lines not stored)`] : [];
  return [`${s.lines} lines`, ...counts, ...rejected].join(', ');
}
