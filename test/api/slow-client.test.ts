import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app.js';
import { createHttpServer } from '../../src/api/http-server.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import type { Db } from '../../src/store/connection.js';
import { apiKey } from '../support/api-key.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { fixedClock, testConfig } from '../support/factories.js';

let db: Db;
let tf: Tideflow;

beforeAll(async () => {
  db = await openTestDatabase('slow_client');
  tf = await openTideflow(
    testConfig({ TIDEFLOW_HTTP_HEADERS_TIMEOUT_MS: '400', TIDEFLOW_HTTP_REQUEST_TIMEOUT_MS: '800' }),
    { db, clock: fixedClock() },
  );
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

/**
 * Dribbles `lines` to the server, one every 100 ms, until the server closes the connection or all
 * are sent; says which came first and what the server answered.
 */
async function dribble(
  port: number,
  head: string,
  lines: string[],
): Promise<{ cutOff: boolean; sent: number; answer: string }> {
  const socket: Socket = connect(port, '127.0.0.1');
  let answer = '';
  let closed = false;
  socket.on('data', (d: Buffer) => {
    answer += d.toString();
  });
  socket.on('error', () => undefined);
  const gone = new Promise<void>((resolve) =>
    socket.on('close', () => {
      closed = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(head);
  let sent = 0;
  for (const line of lines) {
    if (closed) break;
    await new Promise((r) => setTimeout(r, 100));
    if (!closed) socket.write(line);
    sent++;
  }
  const cutOff =
    closed ||
    (await Promise.race([gone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 50))]));
  socket.destroy();
  return { cutOff, sent, answer };
}

test('a client sending its headers slowly (slow loris) or its body slowly is cut off with 408', async () => {
  const server = createHttpServer(createApp(tf, { report: () => undefined }), tf.config);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const headers = Array.from({ length: 60 }, (_, i) => `x-slow-${i}: 1\r\n`);
    const slowHeaders = await dribble(port, 'GET /health HTTP/1.1\r\nhost: x\r\n', headers);
    expect(slowHeaders.cutOff).toBe(true);
    expect(slowHeaders.sent).toBeLessThan(headers.length);
    expect(slowHeaders.answer).toMatch(/^HTTP\/1\.1 408/);

    // With a valid key, so that the body is read: the request timeout ends it.
    const body = Array.from({ length: 60 }, () => ' ');
    const auth = `authorization: Bearer ${await apiKey(db, 'ingest')}\r\n`;
    const slowBody = await dribble(
      port,
      `POST /v1/events HTTP/1.1\r\nhost: x\r\n${auth}content-type: application/json\r\ncontent-length: ${body.length + 2}\r\n\r\n[`,
      body,
    );
    expect(slowBody.cutOff).toBe(true);
    expect(slowBody.sent).toBeLessThan(body.length);
    expect(slowBody.answer).toMatch(/^HTTP\/1\.1 408/);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}, 20_000);
