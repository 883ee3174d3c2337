import { randomBytes } from 'node:crypto';
import { connect } from '../../src/store/connection.js';
import { startTideflow, tideflow } from '../support/cli.js';
import { testUri } from '../support/test-db.js';

const dbName = `t_serve_sandbox_${randomBytes(4).toString('hex')}`;
const env = (): Record<string, string> => ({ MONGODB_URI: testUri(), TIDEFLOW_DB: dbName });

afterAll(async () => {
  const db = await connect(testUri(), dbName);
  await db.dropDatabase();
  await db.close();
});

test('serve --sandbox says its messages go to the sandbox, not to users, and serves the inbox to a viewer', async () => {
  const viewer = (await tideflow(['keys', 'create', '--role', 'viewer'], env())).stdout.trim();
  const serve = startTideflow(['serve', '--sandbox', '--port', '0'], env());
  try {
    const [, url] = await serve.waitFor(/API listening on (http:\/\/\S+)/);
    expect(serve.output()).toContain('sandbox channels: messages go to local receivers on this machine, not to users');
    const res = await fetch(`${url}/v1/inbox?userId=u1`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ messages: [] });
  } finally {
    expect(await serve.stop()).toBe(0);
  }
}, 120_000);

test('serve without --sandbox says nothing of a sandbox', async () => {
  const serve = startTideflow(['serve', '--port', '0'], env());
  try {
    await serve.waitFor(/API listening on/);
    expect(serve.output()).not.toContain('sandbox');
  } finally {
    await serve.stop();
  }
}, 120_000);
