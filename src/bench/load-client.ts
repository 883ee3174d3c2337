import type { EventInput } from '../domain/event.js';

/**
 * An ingest client for load and fault runs: posts numbered batches of generated events to
 * `POST /v1/events`, a few in flight at once, and retries a batch that got no answer or a
 * temporary refusal with the very same events (same ids) until the server takes it. What it sent
 * is a function of the batch numbers alone, so a checker can recount it.
 */

const TYPES = ['app_open', 'view_product_list', 'view_product_detail', 'click_invest'] as const;
const CATEGORIES = ['bond', 'money', 'stock', 'index'] as const;

export interface LoadShape {
  /** Distinguishes the event ids of one run from another's. */
  run: string;
  batchSize: number;
  /** Users the events are spread over. */
  users: number;
  /** The events' time. */
  at: Date;
}

/** The events of batch `index`: deterministic, each id unique across the run. */
export function loadBatch(shape: LoadShape, index: number): EventInput[] {
  const ts = shape.at.toISOString();
  return Array.from({ length: shape.batchSize }, (_, j) => {
    const n = index * shape.batchSize + j;
    const type = TYPES[n % TYPES.length] as (typeof TYPES)[number];
    const event: EventInput = { id: `${shape.run}-${n}`, userId: loadUser(shape, n), type, ts };
    if (type === 'view_product_detail')
      Object.assign(event, { category: CATEGORIES[n % CATEGORIES.length], durationSec: 30 });
    return event;
  });
}

/** The user of the run's `n`-th event. */
export function loadUser(shape: Pick<LoadShape, 'run' | 'users'>, n: number): string {
  return `${shape.run}-u${n % shape.users}`;
}

export interface LoadOptions extends LoadShape {
  /** The API's base URL, asked again before every attempt (a restarted server may move). */
  url: () => string;
  /** An API key sent as `Authorization: Bearer …`. */
  token?: string;
  /** Batches numbered from `first` (@defaultValue 0) to `first + batches - 1`. */
  batches: number;
  first?: number;
  /** Requests in flight at once. @defaultValue 4 */
  concurrency?: number;
  /** Pause before retrying a batch, ms. @defaultValue 200 */
  retryDelayMs?: number;
  /** Give up on a batch after this long without success, ms. @defaultValue 120000 */
  giveUpMs?: number;
  /** Called after each batch the server took. */
  onAck?: (index: number) => void;
}

export interface LoadReport {
  batches: number;
  events: number;
  /** Requests that failed (no answer, 429, 5xx) and were retried. */
  retries: number;
  /** Per acknowledged request, ms from sending to the answer (the successful attempt only). */
  latenciesMs: number[];
  /** What the server said it stored, summed over batches: replays count as duplicates. */
  accepted: number;
  duplicates: number;
  seconds: number;
}

/** Sends every batch once successfully (and as often as needed to get there). */
export async function sendLoad(o: LoadOptions): Promise<LoadReport> {
  const started = performance.now();
  const report: LoadReport = {
    batches: o.batches,
    events: o.batches * o.batchSize,
    retries: 0,
    latenciesMs: [],
    accepted: 0,
    duplicates: 0,
    seconds: 0,
  };
  let next = o.first ?? 0;
  const end = next + o.batches;
  const lane = async (): Promise<void> => {
    while (next < end) {
      const index = next++;
      const answer = await postUntilTaken(o, index, report);
      report.accepted += answer.accepted;
      report.duplicates += answer.duplicates;
      o.onAck?.(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 4) }, lane));
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

async function postUntilTaken(
  o: LoadOptions,
  index: number,
  report: LoadReport,
): Promise<{ accepted: number; duplicates: number }> {
  const body = JSON.stringify(loadBatch(o, index));
  const deadline = Date.now() + (o.giveUpMs ?? 120_000);
  let last = '';
  while (Date.now() < deadline) {
    const sentAt = performance.now();
    try {
      const res = await fetch(`${o.url()}/v1/events`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status === 202) {
        report.latenciesMs.push(performance.now() - sentAt);
        return JSON.parse(text) as { accepted: number; duplicates: number };
      }
      if (res.status !== 429 && res.status < 500)
        throw new Error(`batch ${index}: HTTP ${res.status}: ${text.slice(0, 500)}`);
      last = `HTTP ${res.status}`;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith(`batch ${index}:`)) throw err;
      last = err instanceof Error ? err.message : String(err);
    }
    report.retries++;
    await new Promise((r) => setTimeout(r, o.retryDelayMs ?? 200));
  }
  throw new Error(`batch ${index} not taken within ${o.giveUpMs ?? 120_000} ms; last: ${last}`);
}

/** The `p`-th percentile (0–100) of `xs`, nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Events per type per user that batches `0 … batches-1` of `shape` hold. */
export function expectedCounts(shape: LoadShape, batches: number): Map<string, Record<string, number>> {
  const counts = new Map<string, Record<string, number>>();
  for (let n = 0; n < batches * shape.batchSize; n++) {
    const user = loadUser(shape, n);
    const type = TYPES[n % TYPES.length] as string;
    const c = counts.get(user) ?? {};
    c[type] = (c[type] ?? 0) + 1;
    counts.set(user, c);
  }
  return counts;
}
