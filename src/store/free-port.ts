import { createServer } from 'node:net';

/** Whether nothing listens on `port` of 127.0.0.1 (a listener opened and closed at once). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => done(true)));
  });
}
