import { z } from 'zod';
import type { ValidationError } from '../../src/errors.js';
import { importNdjson, ndjsonLines, MAX_LINE_BYTES, type ImportTarget } from '../../src/pipeline/ingest-import.js';
import { parseBatch } from '../../src/pipeline/ingest-parse.js';

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
  expect(await lines('\uFEFF{"a":1}\r\n{"a"', ':2}\n\n   \n', euro.subarray(0, 7), euro.subarray(7), '{"a":3}'))
    .toEqual([[1, '{"a":1}'], [2, '{"a":2}'], [5, '{"a":"€"}'], [6, '{"a":3}']]);
});

test('a line longer than the limit is reported without being kept', async () => {
  const long = 'x'.repeat(MAX_LINE_BYTES / 4);
  expect(await lines('ok\n', long, long, long, long, long, '\nnext\n')).toEqual([[1, 'ok'], [2, undefined], [3, 'next']]);
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
  await importNdjson(chunked('{"n":1}\n{"n":2}\n{"n":3}\n'), target, { batchSize: 2, onProgress: (s) => seen.push(s.lines) });
  expect(seen).toEqual([2, 3]);
});
