import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { eventImport, importNdjson } from '../../src/ingest/import-ndjson.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import type { Db } from '../../src/store/connection.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { fixedClock, testConfig } from '../support/factories.js';

const EVENTS = 100_000;
const USERS = 100;
/** Each line carries ~500 bytes of props, so the file (~60 MB) dwarfs what streaming should hold. */
const PADDING = 'p'.repeat(500);
/**
 * Growth allowed, measured after a full garbage collection at every batch: what the importer
 * holds, not garbage the collector has yet to reclaim. Reading the file whole would hold its bytes
 * and then its text (2 × 60 MB); streaming holds a batch or two (~1 MB each).
 */
const MAX_HELD_MB = 30;
/** Peak resident memory allowed to grow, collector slack included. */
const MAX_RSS_MB = 100;

/** The collector, exposed at run time (jest's node runs without --expose-gc). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

let dir: string;
let db: Db;
let tf: Tideflow;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tideflow-import-'));
  db = await openTestDatabase('import_memory');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock() });
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

async function writeEvents(file: string, count: number, prefix: string): Promise<void> {
  const out = createWriteStream(file);
  const types = ['app_open', 'view_product_list', 'view_product_detail', 'click_invest'];
  for (let i = 0; i < count; i++) {
    const type = types[i % types.length] ?? 'app_open';
    const line = JSON.stringify({
      id: `${prefix}${i}`,
      userId: `mem${i % USERS}`,
      type,
      ts: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T10:00:00+08:00`,
      ...(type === 'view_product_detail' ? { category: 'bond', durationSec: 10 } : {}),
      props: { note: PADDING },
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

test(`importing ${EVENTS} streamed events keeps memory flat`, async () => {
  const file = join(dir, 'events.ndjson');
  await writeEvents(file, EVENTS, 'm');
  await writeEvents(join(dir, 'warm.ndjson'), 2000, 'w');
  // Warm up code paths and connection pools, so the baseline includes them.
  await importNdjson(createReadStream(join(dir, 'warm.ndjson')), eventImport(tf.ingest));

  const gc = collector();
  const held = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  gc();
  const base = { held: held(), rss: process.memoryUsage().rss };
  const peak = { ...base };
  const summary = await importNdjson(createReadStream(file), eventImport(tf.ingest), {
    onProgress: () => {
      peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
      gc();
      peak.held = Math.max(peak.held, held());
    },
  });
  const mb = (n: number): number => n / 2 ** 20;

  expect(summary).toMatchObject({ lines: EVENTS, rejectedBatches: 0, counts: { accepted: EVENTS, duplicates: 0 } });
  expect(await db.collection('events').countDocuments({ _id: /^m/ } as never)).toBe(EVENTS);
  const detail = await tf.profiles.get('mem2');
  const counted = Object.values(detail?.buckets ?? {}).reduce((n, b) => n + (b.n?.view_product_detail ?? 0), 0);
  expect(counted).toBe(EVENTS / USERS + 2000 / USERS);
  const growth = { held: mb(peak.held - base.held), rss: mb(peak.rss - base.rss) };
  console.log(
    `import of ${mb(statSync(file).size).toFixed(0)} MB: held +${growth.held.toFixed(1)} MB, RSS +${growth.rss.toFixed(1)} MB`,
  );
  expect(growth.held).toBeLessThan(MAX_HELD_MB);
  expect(growth.rss).toBeLessThan(MAX_RSS_MB);
}, 600_000);
