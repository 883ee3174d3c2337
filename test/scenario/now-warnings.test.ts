// Commands warn about the instant they evaluate at: the data's newest event (kept in a marker that
// ingest raises, never found by scanning events) far from `now`, and a window past the kept buckets.
import type { Command, Io } from '../../src/cli/command.js';
import { profileCommand } from '../../src/cli/profile.js';
import { segmentCommand } from '../../src/cli/segment.js';
import type { Config } from '../../src/config/config.js';
import { openTideflow } from '../../src/main.js';
import { ingest } from '../../src/ingest/ingest.js';
import { connect } from '../../src/store/connection.js';
import { testUri } from '../support/test-db.js';
import { NOW, anEvent, fixedClock, testConfig } from '../support/factories.js';

let config: Config;

async function run(command: Command, args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  return { code: await command.run(args, config, io), out, err };
}

beforeAll(async () => {
  config = testConfig({ TIDEFLOW_DB: `t_nowwarn_${process.pid}` });
  const tf = await openTideflow(config, { clock: fixedClock(NOW) });
  await ingest(tf.ingest, [
    anEvent({ userId: 'ann', type: 'register', ts: '2026-11-19T12:00:00+08:00' }),
    anEvent({ userId: 'bob', type: 'register', ts: '2026-11-20T09:30:00+08:00' }),
  ]);
  // An older batch later (a backfill) leaves the newest event where it was.
  await ingest(tf.ingest, [anEvent({ userId: 'cat', type: 'register', ts: '2026-10-01T12:00:00+08:00' })]);
  expect(await tf.ingestMarker()).toEqual({ newestEvent: new Date('2026-11-20T09:30:00+08:00'), lastIngestAt: NOW });
  await tf.close();
});
afterAll(async () => {
  const db = await connect(testUri(), config.TIDEFLOW_DB);
  await db.dropDatabase();
  await db.close();
});

test("at the data's own time nothing is said", async () => {
  const r = await run(segmentCommand, ['registered', '--now', '2026-11-20T10:00:00+08:00']);
  expect(r.code).toBe(0);
  expect(r.err).toEqual([]);
});

test('two weeks after the newest event: the count is printed, with a warning naming the --now meant', async () => {
  const r = await run(segmentCommand, ['registered', '--now', '2026-12-04T10:00:00+08:00']);
  expect(r.code).toBe(0);
  expect(r.err).toEqual([
    'warning: newest event 14 days before now (2026-11-20 09:30 +08:00): did you mean --now 2026-11-20T09:30:00+08:00?',
  ]);
  const p = await run(profileCommand, ['ann', '--now', '2026-12-04T10:00:00+08:00']);
  expect(p.err).toEqual(r.err);
});

test('a --now whose window reaches past the buckets the latest ingest kept says so', async () => {
  const r = await run(segmentCommand, ['strong-intent', '--now', '2026-09-01T10:00:00+08:00']);
  expect(r.code).toBe(0);
  expect(r.err).toContainEqual(
    expect.stringMatching(
      /^warning: a 30-day window at 2026-09-01 10:00 \+08:00 reaches back to 2026-08-03, but day buckets are kept for 90 days \(from 2026-08-23\)/,
    ),
  );
});
