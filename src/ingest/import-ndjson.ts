import { StringDecoder } from 'node:string_decoder';
import type { Event } from '../domain/event.js';
import type { ProfileRecord } from '../domain/profile.js';
import { ValidationError, jsonPath, type Issue } from '../errors.js';
import { ingestEvents, type IngestPorts, parseChecked } from './ingest.js';
import type { Locate } from './parse-events.js';
import { parseProfileRecords, type ProfilePorts } from './profile-records.js';

/** A line longer than this is rejected without being held in memory. */
export const MAX_LINE_BYTES = 1 << 20;

/** One line of an NDJSON stream (1-based number); `text` is undefined when the line was too long. */
export interface NdjsonLine {
  line: number;
  text: string | undefined;
}

/**
 * Splits a byte stream into its non-blank lines, holding at most one line in memory; reading the
 * next chunk waits until the consumer asks, so a large file streams at the consumer's pace.
 */
export async function* ndjsonLines(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<NdjsonLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let tooLong = false;
  let line = 0;
  const finish = (text: string): NdjsonLine | undefined => {
    line += 1;
    const long = tooLong;
    tooLong = false;
    const clean = (line === 1 ? text.replace(/^\uFEFF/, '') : text).replace(/\r$/, '');
    if (long) return { line, text: undefined };
    return clean.trim() === '' ? undefined : { line, text: clean };
  };
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let nl: number;
    while ((nl = pending.indexOf('\n', start)) >= 0) {
      const out = finish(pending.slice(start, nl));
      start = nl + 1;
      if (out) yield out;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_BYTES) {
      tooLong = true;
      pending = '';
    }
  }
  const last = finish(pending + decoder.end());
  if (last) yield last;
}

/** How an import stores one batch of parsed records; returns counters to add up (e.g. accepted). */
export interface ImportTarget<T> {
  parse(items: unknown[], at: Locate): T[];
  store(values: T[]): Promise<Record<string, number>>;
  /**
   * Batches that may be stored at once, while the next is read and parsed. Only for stores whose
   * batches commute: the result must not depend on which finishes first. @defaultValue 1
   */
  inFlight?: number;
}

/**
 * Event batches stored at once by an event import. Ingest is idempotent and its folds commute
 * (counters add, first and last times are min and max, the money state follows event time), and
 * concurrent writers are its normal case (the batch API), so a file's batches need not wait for
 * each other: the database works on one while Tideflow parses the next.
 */
export const EVENT_IMPORT_IN_FLIGHT = 4;

/** Events through the ingest verb: counts `accepted` and `duplicates`. */
export function eventImport(ports: IngestPorts): ImportTarget<Event> {
  return {
    parse: (items, at) => parseChecked(ports, items, at),
    store: async (events) => ({ ...(await ingestEvents(ports, events)) }),
    inFlight: EVENT_IMPORT_IN_FLIGHT,
  };
}

/** Profile records (`{ userId, ...ProfileUpdate }`): counts `created` and `updated`. One batch at a time: a later line wins. */
export function profileImport(ports: ProfilePorts): ImportTarget<ProfileRecord> {
  return {
    parse: (items, at) => parseProfileRecords(items, at, ports.clock()),
    store: async (records) => {
      const created = await ports.profiles.updateMany(records, ports.clock());
      return { created, updated: records.length - created };
    },
  };
}

export interface ImportOptions {
  /** Records per batch; a bad line rejects its batch. @defaultValue 1000 */
  batchSize?: number;
  /** Called after each batch, committed or rejected. */
  onProgress?(summary: ImportSummary): void;
  /** Called with every problem of a rejected batch (paths `line N: json.path`). */
  onRejected?(err: ValidationError): void;
}

export interface ImportSummary {
  lines: number;
  batches: number;
  rejectedBatches: number;
  /** Lines of rejected batches (good lines in them included): none of them was stored. */
  rejectedLines: number;
  /** The stores' counters, summed over committed batches. */
  counts: Record<string, number>;
}

/**
 * Imports an NDJSON stream in batches: each batch is parsed, then stored whole or, if any of its
 * lines is bad, not at all. Later batches are still imported, so one run reports every bad line;
 * stores are idempotent (events by id, profiles by user), so re-running the fixed file is safe.
 * Up to `target.inFlight` batches are stored at once; reading waits while that many are. When a
 * store fails, reading stops, the batches already storing finish, and the first error is thrown.
 */
export async function importNdjson<T>(
  chunks: AsyncIterable<string | Buffer>,
  target: ImportTarget<T>,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const size = opts.batchSize ?? 1000;
  const limit = Math.max(1, target.inFlight ?? 1);
  const summary: ImportSummary = { lines: 0, batches: 0, rejectedBatches: 0, rejectedLines: 0, counts: {} };
  const storing = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let batch: NdjsonLine[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    const values = parseLines(lines, target, summary, opts);
    if (!values) {
      opts.onProgress?.(summary);
      return;
    }
    const stored: Promise<void> = target
      .store(values)
      .then(
        (counts) => {
          for (const [k, v] of Object.entries(counts)) summary.counts[k] = (summary.counts[k] ?? 0) + v;
          opts.onProgress?.(summary);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => {
        storing.delete(stored);
      });
    storing.add(stored);
    while (storing.size >= limit) await Promise.race(storing);
  };
  try {
    for await (const line of ndjsonLines(chunks)) {
      if (failure) break;
      summary.lines = line.line;
      batch.push(line);
      if (batch.length >= size) await flush();
    }
    if (!failure) await flush();
  } finally {
    await Promise.all(storing);
  }
  if (failure) throw failure.error;
  return summary;
}

/** Parses one batch; undefined (and the batch reported as rejected) when any of its lines is bad. */
function parseLines<T>(
  lines: NdjsonLine[],
  target: ImportTarget<T>,
  summary: ImportSummary,
  opts: ImportOptions,
): T[] | undefined {
  summary.batches += 1;
  const items: unknown[] = [];
  const itemLines: number[] = [];
  const issues: Issue[] = [];
  for (const { line, text } of lines) {
    if (text === undefined) {
      issues.push({ path: `line ${line}`, message: `line longer than ${MAX_LINE_BYTES} bytes` });
      continue;
    }
    try {
      items.push(JSON.parse(text));
      itemLines.push(line);
    } catch (err) {
      issues.push({ path: `line ${line}`, message: `not valid JSON: ${(err as Error).message}` });
    }
  }
  const at: Locate = (i, path) => `line ${itemLines[i] ?? '?'}${path.length > 0 ? `: ${jsonPath(path)}` : ''}`;
  let values: T[] = [];
  try {
    values = target.parse(items, at);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    issues.push(...err.issues);
  }
  if (issues.length === 0) return values;
  summary.rejectedBatches += 1;
  summary.rejectedLines += lines.length;
  const first = lines[0]?.line ?? 0;
  const last = lines[lines.length - 1]?.line ?? 0;
  opts.onRejected?.(
    new ValidationError(`lines ${first}–${last} rejected; none of them was stored`, sortByLine(issues)),
  );
  return undefined;
}

function sortByLine(issues: Issue[]): Issue[] {
  const lineOf = (i: Issue): number => Number(/^line (\d+)/.exec(i.path)?.[1] ?? 0);
  return [...issues].sort((a, b) => lineOf(a) - lineOf(b));
}
