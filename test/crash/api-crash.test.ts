// The API SIGKILLed mid-ingest, three times, while a client keeps sending batches and retries each
// failed one with the same event ids: after the restarts every event is stored once and counted
// once in its user's profile, exactly as the client sent it.
import { sendLoad, type LoadShape } from '../../src/bench/load-client.js';
import type { Db } from '../../src/store/connection.js';
import { apiKey } from '../support/api-key.js';
import { dropTestDatabase, openTestDatabase, testUri } from '../support/test-db.js';
import { checkIngest } from '../../src/bench/load-check.js';
import { startServe, type ServeProcess } from './serve-process.js';

const BATCHES = 120;
const SHAPE: LoadShape = { run: 'apikill', batchSize: 50, users: 45, at: new Date(Date.now() - 3_600_000) };
/** Acknowledged batches at which the server is killed. */
const KILL_AT = [15, 45, 80];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let db: Db;
beforeAll(async () => {
  db = await openTestDatabase('api_crash');
});
afterAll(async () => {
  await dropTestDatabase(db);
});

test('kill -9 of the API mid-ingest, three times: no event lost, none counted twice', async () => {
  const env = { MONGODB_URI: `${testUri()}/${db.name}`, TIDEFLOW_JOB_POLL_MS: '500' };
  const token = await apiKey(db, 'ingest');
  let server: ServeProcess = await startServe(env);
  const port = server.port;
  let acked = 0;
  let clientDone = false;
  try {
    const client = sendLoad({
      ...SHAPE,
      token,
      url: () => server.url,
      batches: BATCHES,
      concurrency: 4,
      retryDelayMs: 100,
      onAck: () => {
        acked++;
      },
    }).finally(() => {
      clientDone = true;
    });
    for (const target of KILL_AT) {
      while (acked < target && !clientDone) await sleep(5);
      // Requests are in flight right now: the kill lands mid-batch.
      await server.kill();
      await sleep(300);
      server = await startServe(env, port);
    }
    const report = await client;
    expect(report.retries).toBeGreaterThan(0);
    expect(report.accepted + report.duplicates).toBe(BATCHES * SHAPE.batchSize);
    // Replays of batches the server already took change nothing.
    const replay = await sendLoad({ ...SHAPE, token, url: () => server.url, batches: 10, first: 30 });
    expect({ accepted: replay.accepted, duplicates: replay.duplicates }).toEqual({ accepted: 0, duplicates: 500 });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const tally = await checkIngest(db, SHAPE, BATCHES);
    expect(tally).toEqual({ events: BATCHES * SHAPE.batchSize, pendingBatches: 0, miscounted: [] });
  } finally {
    await server.stop();
  }
}, 180_000);
