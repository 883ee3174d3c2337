import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { connect } from '../../src/store/connection.js';
import { testUri } from '../support/test-db.js';
import { startTideflow, tideflow } from '../support/cli.js';

const dbName = `t_host_${randomBytes(4).toString('hex')}`;
const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  MONGODB_URI: testUri(),
  TIDEFLOW_DB: dbName,
  ...extra,
});

afterAll(async () => {
  const db = await connect(testUri(), dbName);
  await db.dropDatabase();
  await db.close();
});

/** An IPv4 address of this machine other than loopback, if it has one. */
const outsideAddress = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const answers = async (url: string): Promise<boolean> =>
  fetch(`${url}/health`).then(
    (r) => r.ok,
    () => false,
  );

test('serve listens on loopback only by default and prints the address it bound', async () => {
  const server = startTideflow(['serve', '--port', '0'], env());
  try {
    const [, url, port] = await server.waitFor(/API listening on (http:\/\/\S+:(\d+))\n/);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(await answers(url as string)).toBe(true);
    const outside = outsideAddress();
    if (outside) expect(await answers(`http://${outside}:${port}`)).toBe(false);
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

test('HOST=0.0.0.0 listens on every interface and says so', async () => {
  const server = startTideflow(['serve', '--port', '0'], env({ HOST: '0.0.0.0' }));
  try {
    const [, port] = await server.waitFor(/API listening on http:\/\/0\.0\.0\.0:(\d+) \(every interface\)\n/);
    expect(await answers(`http://127.0.0.1:${port}`)).toBe(true);
    const outside = outsideAddress();
    if (outside) expect(await answers(`http://${outside}:${port}`)).toBe(true);
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

test('an address it cannot listen on is a message naming HOST and PORT, exit 1', async () => {
  const run = await tideflow(['serve', '--port', '0', '--host', '203.0.113.1'], env());
  expect(run).toMatchObject({ code: 1 });
  expect(run.stderr).toMatch(
    /^tideflow serve: cannot listen on 203\.0\.113\.1 port 0 \(HOST, PORT\): .*EADDRNOTAVAIL/m,
  );
});
