import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listener on 127.0.0.1 with an OS-chosen port, for API tests that go over real HTTP. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: { listen(port: number, host: string): Server }): Promise<Listening> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Sends JSON (a value, or a raw string as is) and returns status and parsed body; with `key`, as
 * `Authorization: Bearer <key>` (test/support/api-key.ts makes keys).
 */
export async function send(
  url: string,
  method: string,
  body?: unknown,
  key?: string,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/**
 * A loopback HTTP server whose handler is set later: its URL is known first, so Tideflow can be
 * configured with it as TIDEFLOW_PUBLIC_URL before the app that answers there exists. Answers 503
 * until `handle` is called.
 */
export interface LateServer {
  url: string;
  handle(handler: RequestListener): void;
  close(): Promise<void>;
}

export async function lateServer(): Promise<LateServer> {
  let handler: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handle: (h) => {
      handler = h;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
