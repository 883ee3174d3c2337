import { z } from 'zod';
import type { ValidationError } from '../../src/errors.js';
import { importNdjson, ndjsonLines, MAX_LINE_BYTES, type ImportTarget } from '../../src/ingest/import-ndjson.js';
import { parseBatch } from '../../src/ingest/parse-events.js';

async function* chunked(...parts: (string | Buffer)[]): AsyncGenerator<string | Buffer> {
  for (const p of parts) yield p;
}

async function lines(...parts: (string | Buffer)[]): Promise<[number, string | undefined][]> {
  const out: [number, string | undefined][] = [];
  for await (const l of ndjsonLines(chunked(...parts))) out.push([l.line, l.text]);
  return out;
}

test('lines are split across chunks, numbered from 1, blank ones skipped, CR and BOM dropped', async () => {
  const euro = Buffer.from('{"a":"€"}\n');
  expect(
    await lines('\uFEFF{"a":1}\r\n{"a"', ':2}\n\n   \n', euro.subarray(0, 7), euro.subarray(7), '{"a":3}'),
  ).toEqual([
    [1, '{"a":1}'],
    [2, '{"a":2}'],
    [5, '{"a":"€"}'],
    [6, '{"a":3}'],
  ]);
});

test('a line longer than the limit is reported without being kept', async () => {
  const long = 'x'.repeat(MAX_LINE_BYTES / 4);
  expect(await lines('ok\n', long, long, long, long, long, '\nnext\n')).toEqual([
    [1, 'ok'],
    [2, undefined],
    [3, 'next'],
  ]);
});

const Row = z.strictObject({ n: z.number().int() });
type Row = z.infer<typeof Row>;

function collecting(): { target: ImportTarget<Row>; stored: Row[][] } {
  const stored: Row[][] = [];
  return {
    stored,
    target: {
      parse: (items, at) => parseBatch(Row, items, 'rows', at),
      store: async (rows) => {
        stored.push(rows);
        return { accepted: rows.length };
      },
    },
  };
}

test('batches are stored whole; a bad line rejects only its batch and is located by line and path', async () => {
  const { target, stored } = collecting();
  const rejected: ValidationError[] = [];
  const input = ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":"four"}', '{"n":5', '{"n":6}', '{"n":7}'].join('\n');
  const summary = await importNdjson(chunked(input), target, { batchSize: 3, onRejected: (e) => rejected.push(e) });
  expect(stored).toEqual([[{ n: 1 }, { n: 2 }, { n: 3 }], [{ n: 7 }]]);
  expect(summary).toEqual({ lines: 7, batches: 3, rejectedBatches: 1, rejectedLines: 3, counts: { accepted: 4 } });
  expect(rejected).toHaveLength(1);
  expect(rejected[0]?.message).toBe('lines 4–6 rejected; none of them was stored');
  expect(rejected[0]?.issues.map((i) => i.path)).toEqual(['line 4: n', 'line 5']);
  expect(rejected[0]?.issues[1]?.message).toMatch(/^not valid JSON/);
});

test('progress is reported after every batch', async () => {
  const { target } = collecting();
  const seen: number[] = [];
  await importNdjson(chunked('{"n":1}\n{"n":2}\n{"n":3}\n'), target, {
    batchSize: 2,
    onProgress: (s) => seen.push(s.lines),
  });
  expect(seen).toEqual([2, 3]);
});

/** A target whose stores wait until released, recording how many ran at once. */
function gated(inFlight: number, failOn?: number) {
  const started: number[] = [];
  const finished: number[] = [];
  const releases: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const target: ImportTarget<Row> = {
    parse: (items, at) => parseBatch(Row, items, 'rows', at),
    inFlight,
    store: async (rows) => {
      const first = rows[0]?.n ?? 0;
      started.push(first);
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
      if (first === failOn) throw new Error(`store of batch ${first} failed`);
      finished.push(first);
      return { accepted: rows.length };
    },
  };
  const releaseAll = async (): Promise<void> => {
    while (running > 0 || releases.length > 0) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { target, started, finished, releases, releaseAll, most: () => most };
}

const rows = (n: number): string => Array.from({ length: n }, (_, i) => `{"n":${i + 1}}`).join('\n');

test('a target that allows it has up to inFlight batches storing at once, never more, and every batch counted', async () => {
  const g = gated(3);
  const done = importNdjson(chunked(rows(20)), g.target, { batchSize: 2 });
  await new Promise((r) => setImmediate(r));
  // Reading waits while three batches store.
  expect(g.started).toEqual([1, 3, 5]);
  await g.releaseAll();
  const summary = await done;
  expect(g.most()).toBe(3);
  expect([...g.finished].sort((a, b) => a - b)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  expect(summary).toEqual({ lines: 20, batches: 10, rejectedBatches: 0, rejectedLines: 0, counts: { accepted: 20 } });
});

test('when a store fails, reading stops, the batches already storing finish, and the error is thrown', async () => {
  const g = gated(2, 3);
  const done = importNdjson(chunked(rows(20)), g.target, { batchSize: 2 });
  const outcome = done.then(
    () => 'resolved',
    (e: Error) => e.message,
  );
  await new Promise((r) => setImmediate(r));
  expect(g.started).toEqual([1, 3]);
  g.releases.shift()?.(); // batch 1 stores; batch 5 starts beside the still-storing batch 3
  await new Promise((r) => setImmediate(r));
  g.releases.shift()?.(); // batch 3 fails
  await g.releaseAll();
  expect(await outcome).toBe('store of batch 3 failed');
  expect(g.finished).toEqual([1, 5]);
  expect(g.started).toEqual([1, 3, 5]);
});

test('without inFlight, batches are stored one after another, in file order', async () => {
  const g = gated(1);
  const done = importNdjson(chunked(rows(6)), { ...g.target, inFlight: undefined }, { batchSize: 2 });
  await new Promise((r) => setImmediate(r));
  expect(g.started).toEqual([1]);
  await g.releaseAll();
  await done;
  expect(g.most()).toBe(1);
  expect(g.finished).toEqual([1, 3, 5]);
});
