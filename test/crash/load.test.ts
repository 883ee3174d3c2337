// The bounded load run: 30,000 events posted by a client process over loopback to `tideflow
// serve` while it runs a campaign. The server stays up and healthy, every event is stored and
// counted once, the campaign run completes, and the server stops cleanly. (`npm run bench --
// --only load` runs the same with a million events and reports latency percentiles.)
import { randomBytes } from 'node:crypto';
import { runLoad } from '../../src/bench/load-run.js';
import { testUri } from '../support/test-db.js';

test('30,000 events through the API during a campaign run: nothing lost, the server stays up', async () => {
  const outcome = await runLoad({
    uri: testUri(),
    dbName: `t_load_${randomBytes(4).toString('hex')}`,
    events: 30_000,
    batchSize: 500,
    users: 2000,
    audience: 300,
    concurrency: 6,
    log: () => undefined,
  });
  process.stdout.write(`load: ${JSON.stringify(outcome.client)}\n`);
  expect(outcome.ingest).toEqual({ events: 30_000, pendingBatches: 0, miscounted: [] });
  expect(outcome.client.accepted).toBe(30_000);
  expect(outcome.health.checks).toBeGreaterThan(0);
  expect(outcome.health.failures).toBe(0);
  expect(outcome.server).toEqual({ crashed: false, exitCode: 0 });
  expect(outcome.campaign).toMatchObject({ audience: 300, decided: 300, open: 0 });
  expect(outcome.campaign.sent).toBeGreaterThan(0);
}, 240_000);
