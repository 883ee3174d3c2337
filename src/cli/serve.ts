import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { createApp } from '../api/app.js';
import { ValidationError } from '../errors.js';
import { openTideflow } from '../main.js';
import type { Command } from './command.js';

/** A part of the running service: the HTTP API now; the job worker joins here (`stop` in reverse). */
interface Running {
  name: string;
  stop(): Promise<void>;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HTTP API (events, profiles, health) until interrupted',
  usage: 'serve [--port 8080]',
  async run(args, config, io) {
    const { values } = parseArgs({ args, strict: true, options: { port: { type: 'string' } } });
    const port = values.port === undefined ? config.PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ValidationError('invalid arguments', [{ path: '--port', message: 'a port number from 0 to 65535' }]);
    }
    const tf = await openTideflow(config);
    const parts: Running[] = [];
    try {
      parts.push(await startApi(createApp(tf), port, (url) => io.err(`tideflow: API listening on ${url}`)));
      await untilSignal();
      io.err('tideflow: stopping');
      return 0;
    } finally {
      for (const part of parts.reverse()) await part.stop();
      await tf.close();
    }
  },
};

async function startApi(app: { listen(port: number): Server }, port: number, announce: (url: string) => void): Promise<Running> {
  const server = app.listen(port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  announce(typeof address === 'object' && address ? `http://localhost:${address.port}` : String(address));
  return {
    name: 'api',
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
