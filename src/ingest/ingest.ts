import { randomBytes } from 'node:crypto';
import type { Event } from '../domain/event.js';
import { oldestRetainedDay } from '../domain/windowed-metrics.js';
import { profileDeltas } from '../domain/profile-delta.js';
import { parseEvents, atIndex, type Locate } from './parse-events.js';
import type { Scoring } from '../domain/intent-scoring.js';
import type { Clock } from '../ports/clock.js';
import type { EventLog } from '../ports/event-log.js';
import type { ProfileStore } from '../ports/profile-store.js';
import { refuseFutureEvents } from './ingest-clock.js';

/** What a batch did: events newly stored and events already known (replays). */
export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/** Journal entries stay well under MongoDB's 16 MB document limit. */
const CHUNK_EVENTS = 1000;
const CHUNK_JSON_CHARS = 4 << 20;

/**
 * Ingests a batch from outside: parses it (a bad event rejects the batch whole, ValidationError
 * with `[index].path` issues) and stores it with {@link ingestEvents}.
 */
export async function ingest(ports: IngestPorts, items: readonly unknown[]): Promise<IngestResult> {
  return ingestEvents(ports, parseChecked(ports, items, atIndex));
}

/**
 * Parses a batch from outside and, when the ports set a limit, refuses it whole if an event is
 * dated too far ahead of the ingest clock (ValidationError at `ts`).
 */
export function parseChecked(ports: IngestPorts, items: readonly unknown[], at: Locate): Event[] {
  const events = parseEvents(items, at);
  if (ports.maxClockSkewMs === undefined) return events;
  return refuseFutureEvents(events, ports.clock(), ports.maxClockSkewMs, at);
}

/**
 * Stores parsed events and folds them into their users' profiles, idempotently: a replayed event
 * (or one repeated within the batch) changes nothing and counts as a duplicate.
 *
 * Crash safety, per chunk of the batch: (1) the chunk is journaled whole as pending; (2) its events
 * are stored, skipping known ids; (3) each user's profile gets one update guarded by the chunk's id;
 * (4) the journal entry is removed. Whoever finds the entry — {@link recoverPendingIngest} at
 * startup, or an ingest whose replayed events belong to it — can finish it, even while the original
 * writer is still at work: both end with the same events under the chunk's id, and the guard lets
 * one update per user through. Round trips per chunk are constant (4, plus 2 when it meets replays).
 */
export async function ingestEvents(ports: IngestPorts, events: readonly Event[]): Promise<IngestResult> {
  const seen = new Set<string>();
  const unique = events.filter((e) => !seen.has(e.id) && seen.add(e.id));
  const result: IngestResult = { accepted: 0, duplicates: events.length - unique.length };
  for (const chunk of chunks(unique)) {
    // 96 random bits, short: every profile the chunk touches remembers it (appliedBatches).
    const batchId = randomBytes(12).toString('base64url');
    const receivedAt = ports.clock();
    await ports.events.journal(batchId, chunk, receivedAt);
    const stored = await ports.events.store(batchId, chunk, receivedAt);
    for (const other of stored.pendingBatches) await finishBatch(ports, other);
    await applyEvents(ports, batchId, stored.own);
    result.accepted += stored.own.length;
    result.duplicates += stored.duplicates;
  }
  return result;
}

/**
 * Finishes every batch an interrupted ingest left pending; returns how many it finished. Safe to
 * run at any time, also while other processes ingest.
 */
export async function recoverPendingIngest(ports: IngestPorts): Promise<number> {
  let finished = 0;
  for (;;) {
    const batches = await ports.events.pendingBatches(100);
    if (batches.length === 0) return finished;
    for (const batchId of batches) await finishBatch(ports, batchId);
    finished += batches.length;
  }
}

async function finishBatch(ports: IngestPorts, batchId: string): Promise<void> {
  const pending = await ports.events.pending(batchId);
  if (!pending) return;
  const stored = await ports.events.store(batchId, pending.events, pending.receivedAt);
  await applyEvents(ports, batchId, stored.own);
}

async function applyEvents(ports: IngestPorts, batchId: string, events: readonly Event[]): Promise<void> {
  const now = ports.clock();
  const deltas = profileDeltas(events, {
    tz: ports.tz,
    oldestRetainedDay: oldestRetainedDay(now, ports.scoring.retentionDays, ports.tz),
  });
  await ports.profiles.applyDeltas(batchId, deltas, now);
  if (ports.triggers) await ports.triggers(events);
  await ports.events.complete(batchId);
}

/** Splits a batch into journal-sized chunks, in order. */
function* chunks(events: readonly Event[]): Generator<Event[]> {
  let chunk: Event[] = [];
  let chars = 0;
  for (const e of events) {
    const size = JSON.stringify(e).length;
    if (chunk.length > 0 && (chunk.length >= CHUNK_EVENTS || chars + size > CHUNK_JSON_CHARS)) {
      yield chunk;
      chunk = [];
      chars = 0;
    }
    chunk.push(e);
    chars += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** What the ingest verb needs. */
export interface IngestPorts {
  events: EventLog;
  profiles: ProfileStore;
  clock: Clock;
  scoring: Pick<Scoring, 'retentionDays'>;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
  /**
   * Batches (`ingest`, event imports) with an event dated more than this after `clock()` are
   * refused. The API's events endpoint and `tideflow import` set it (TIDEFLOW_MAX_CLOCK_SKEW_MS);
   * unset: no limit (events the server makes itself, simulations that run ahead of the clock).
   */
  maxClockSkewMs?: number;
  /**
   * Told about events newly stored, after their profiles are updated and before the batch counts
   * as applied (so a crash in between tells it again): campaigns schedule triggered evaluations.
   */
  triggers?: (events: readonly Event[]) => Promise<void>;
}
