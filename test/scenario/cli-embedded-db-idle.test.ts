import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tideflow } from '../support/cli.js';

// The embedded server outlives the command that started it: that command says so, once, and the
// server stops itself after TIDEFLOW_DB_IDLE_MINUTES without a client; the next command starts it again.
let dir: string;
/** Three seconds without a client. */
const env = (): Record<string, string> => ({ TIDEFLOW_DATA_DIR: join(dir, 'data'), TIDEFLOW_DB_IDLE_MINUTES: '0.05' });
const NOTICE = 'the embedded database keeps running for this data directory';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tideflow-idle-'));
});
afterAll(async () => {
  await tideflow(['db', 'stop'], env());
  rmSync(dir, { recursive: true, force: true });
});

async function untilStopped(): Promise<string> {
  for (;;) {
    const status = (await tideflow(['db', 'status'], env())).stdout;
    if (status.startsWith('not running')) return status;
    await new Promise((r) => setTimeout(r, 500));
  }
}

test('the command that starts the embedded database says so once; it stops itself when idle and starts again', async () => {
  const first = await tideflow(['keys', 'list'], env());
  expect(first.code).toBe(0);
  expect(first.stderr.split(NOTICE).length - 1).toBe(1);
  expect(first.stderr).toContain('`tideflow db stop` stops it, or it stops itself after 0.05 minutes without a client');

  expect(await untilStopped()).toMatch(/^not running/);

  const again = await tideflow(['keys', 'list'], env());
  expect(again.code).toBe(0);
  expect(again.stderr).toContain(NOTICE);
}, 120_000);

test('a command that finds it running says nothing about it', async () => {
  await tideflow(['db', 'start'], { ...env(), TIDEFLOW_DB_IDLE_MINUTES: '0' });
  const run = await tideflow(['keys', 'list'], env());
  expect(run.code).toBe(0);
  expect(run.stderr).not.toContain(NOTICE);
}, 120_000);
