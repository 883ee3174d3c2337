import { randomUUID } from 'node:crypto';
import type { Event } from '../domain/event.js';
import { oldestRetainedDay } from '../domain/metrics.js';
import { profileDeltas } from './ingest-delta.js';
import { parseEvents } from './ingest-parse.js';
import type { IngestPorts } from './ports.js';

/** What a batch did: events newly stored and events already known (replays). */
export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/**
 * Ingests a batch from outside: parses it (a bad event rejects the batch whole, ValidationError
 * with `[index].path` issues) and stores it with {@link ingestEvents}.
 */
export async function ingest(ports: IngestPorts, items: readonly unknown[]): Promise<IngestResult> {
  return ingestEvents(ports, parseEvents(items));
}

/**
 * Stores parsed events and folds them into their users' profiles, idempotently: a replayed event
 * changes nothing and counts as a duplicate.
 *
 * Crash safety: the events are stored first, tagged with a fresh batch id and marked pending; then
 * each user's profile gets one update guarded by that batch id; then the batch is marked applied.
 * A process killed in between leaves a pending batch, which {@link recoverPendingIngest} (run at
 * startup, and here when a replay meets pending events) applies exactly once.
 * Round trips per batch are constant: insert, profile bulk write(s), mark applied.
 */
export async function ingestEvents(ports: IngestPorts, events: readonly Event[]): Promise<IngestResult> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const batchId = randomUUID();
  const { inserted, duplicateIds } = await ports.events.insertPending(events, batchId, ports.clock());
  if (duplicateIds.length > 0) {
    const pending = await ports.events.pendingBatchesOf(duplicateIds);
    for (const other of pending) if (other !== batchId) await applyBatch(ports, other);
  }
  if (inserted.length > 0) await applyEvents(ports, batchId, inserted);
  return { accepted: inserted.length, duplicates: duplicateIds.length };
}

/**
 * Applies every batch left pending by an interrupted ingest; returns how many it applied.
 * Safe to run at any time, also concurrently with ingest: profile updates are guarded per batch.
 */
export async function recoverPendingIngest(ports: IngestPorts): Promise<number> {
  let applied = 0;
  for (;;) {
    const batches = await ports.events.pendingBatches(100);
    if (batches.length === 0) return applied;
    for (const batchId of batches) await applyBatch(ports, batchId);
    applied += batches.length;
  }
}

async function applyBatch(ports: IngestPorts, batchId: string): Promise<void> {
  await applyEvents(ports, batchId, await ports.events.eventsOfBatch(batchId));
}

async function applyEvents(ports: IngestPorts, batchId: string, events: readonly Event[]): Promise<void> {
  const now = ports.clock();
  const deltas = profileDeltas(events, {
    tz: ports.tz,
    oldestRetainedDay: oldestRetainedDay(now, ports.scoring.retentionDays, ports.tz),
  });
  await ports.profiles.applyDeltas(batchId, deltas, now);
  if (ports.triggers) await ports.triggers(events);
  await ports.events.markApplied(batchId);
}
