import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anEvent } from '../support/factories.js';
import { tideflow } from '../support/cli.js';

// Without MONGODB_URI every command uses the embedded server of TIDEFLOW_DATA_DIR: started by the
// first command that needs it, reused by the next, stopped by `tideflow db stop`, data kept on disk.
let dir: string;
const env = (): Record<string, string> => ({ TIDEFLOW_DATA_DIR: join(dir, 'data') });
const pidOf = (status: string): string | undefined => /pid (\d+)/.exec(status)?.[1];
const uriOf = (status: string): string | undefined => /mongodb:\/\/[^,\s]+/.exec(status)?.[0];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tideflow-embedded-'));
});
afterAll(async () => {
  await tideflow(['db', 'stop'], env());
  rmSync(dir, { recursive: true, force: true });
});

test('the embedded server is started on demand, reused, stopped, and its data persists', async () => {
  expect((await tideflow(['db', 'status'], env())).stdout).toMatch(/^not running/);
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, `${JSON.stringify(anEvent({ userId: 'emb1', type: 'click_invest' }))}\n`);
  expect(await tideflow(['import', 'events', file], env())).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('1 accepted') as string,
  });

  const status = (await tideflow(['db', 'status'], env())).stdout;
  const started = pidOf(status);
  expect(started).toBeDefined();
  const shown = await tideflow(['profile', 'emb1', '--now', '2026-11-20T12:00:00+08:00'], env());
  expect(JSON.parse(shown.stdout)).toMatchObject({ userId: 'emb1', metrics: { eventCount: { click_invest: 1 } } });
  expect(pidOf((await tideflow(['db', 'status'], env())).stdout)).toBe(started);

  expect((await tideflow(['db', 'stop'], env())).stdout).toMatch(/^stopped/);
  expect((await tideflow(['db', 'status'], env())).stdout).toMatch(/^not running/);
  const again = await tideflow(['profile', 'emb1', '--now', '2026-11-20T12:00:00+08:00'], env());
  expect(JSON.parse(again.stdout)).toMatchObject({ userId: 'emb1', metrics: { eventCount: { click_invest: 1 } } });
  const restatus = (await tideflow(['db', 'status'], env())).stdout;
  const restarted = pidOf(restatus);
  expect(restarted).toBeDefined();
  expect(restarted).not.toBe(started);
  // A new process at the same address: running workers and `serve` find it where they left it.
  expect(uriOf(restatus)).toBe(uriOf(status));
  expect(uriOf(status)).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
  expect((await tideflow(['db', 'stop'], env())).stdout).toMatch(/^stopped/);
  expect((await tideflow(['db', 'start'], env())).stdout).toContain(`running at ${uriOf(status)} `);
}, 300_000);
