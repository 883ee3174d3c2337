// `tideflow demo` without --now: the synthetic history ends at the time it is run, so a new
// segment finds recent activity on any day; with --now the instant is the one given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/store/connection.js';
import { tideflow } from '../support/cli.js';
import { testUri } from '../support/test-db.js';

const DB = `t_demonow_${process.pid}`;
let dir: string;
const env = (): Record<string, string> => ({ MONGODB_URI: testUri(), TIDEFLOW_DB: DB, TIDEFLOW_DATA_DIR: dir });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tideflow-demonow-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const db = await connect(testUri(), DB);
  await db.dropDatabase();
  await db.close();
});

/** The instant printed after `label` (`2026-12-05 00:22:43 +08:00`), as milliseconds. */
function printedAt(text: string, label: string): number {
  const m = new RegExp(`${label} (\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d(?::\\d\\d)?) ([+-]\\d\\d:\\d\\d)`).exec(text);
  if (!m) throw new Error(`no '${label} <time>' in: ${text.slice(0, 400)}`);
  const time = m[2]?.length === 5 ? `${m[2]}:00` : m[2];
  return Date.parse(`${m[1]}T${time}${m[3]}`);
}

/** A fixed-offset zone whose wall clock reads `hour` (give or take the minutes) at `at`. */
function zoneAtHour(at: number, hour: number): string {
  let n = (hour - new Date(at).getUTCHours() + 24) % 24;
  if (n > 14) n -= 24;
  // Etc/GMT signs are inverted: Etc/GMT-8 is UTC+8.
  return n === 0 ? 'Etc/GMT' : `Etc/GMT${n > 0 ? '-' : '+'}${Math.abs(n)}`;
}

test('without --now the history ends when the demo runs; --now fixes it', async () => {
  const before = Math.floor(Date.now() / 1000) * 1000;
  const tz = zoneAtHour(before, 12);
  const run = await tideflow(['demo', '--users', '30', '--days', '30', '--reset'], { ...env(), TIDEFLOW_TZ: tz });
  const after = Date.now();
  expect(run.code).toBe(0);
  expect(run.stderr).not.toContain('quiet hours');
  for (const [text, label] of [
    [run.stderr, 'days to'],
    [run.stdout, 'Synthetic platform at'],
  ] as const) {
    const at = printedAt(text, label);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
  }

  // During the default quiet hours (21:00–08:00) the history ends at 20:59 the evening before, and
  // the demo says so: at 02:xx every message would wait for the morning.
  const night = zoneAtHour(Date.now(), 2);
  const late = await tideflow(['demo', '--users', '30', '--days', '30', '--reset'], { ...env(), TIDEFLOW_TZ: night });
  expect(late.code).toBe(0);
  expect(late.stderr).toMatch(
    /demo: it is quiet hours in Etc\/GMT[-+]?\d* \(21:00–08:00\): the history ends at \d{4}-\d\d-\d\d 20:59 /,
  );
  const end = printedAt(late.stdout, 'Synthetic platform at');
  expect(Date.now() - end).toBeGreaterThan(5 * 3600_000);
  expect(Date.now() - end).toBeLessThan(7 * 3600_000);

  const fixed = await tideflow(['demo', '--users', '30', '--days', '30', '--now', '2026-11-20T10:00:00+08:00'], env());
  expect(fixed.code).toBe(0);
  expect(fixed.stderr).toContain('30 days to 2026-11-20 10:00 +08:00');
  expect(fixed.stdout).toContain('Synthetic platform at 2026-11-20 10:00 +08:00');
}, 180_000);
