import { resolve } from 'node:path';
import {
  embeddedServerStatus,
  embeddedStartedNotice,
  ensureEmbeddedServer,
  stopEmbeddedServer,
} from '../store/embedded-server.js';
import type { Command } from './command.js';

const USAGE = 'db status|start|stop';

/**
 * `tideflow db`: the embedded database server of TIDEFLOW_DATA_DIR. Other commands start it on
 * demand and leave it running for the next one; `stop` ends it (its data stays in the directory).
 */
export const dbCommand: Command = {
  name: 'db',
  summary: 'show, start or stop the embedded database server (when MONGODB_URI is unset)',
  usage: USAGE,
  database: false,
  async run(args, config, io) {
    const [action, ...extra] = args;
    if (!action || extra.length > 0 || !['status', 'start', 'stop'].includes(action)) {
      io.err(`usage: tideflow ${USAGE}`);
      return 1;
    }
    const dir = resolve(config.TIDEFLOW_DATA_DIR);
    if (config.MONGODB_URI) {
      io.out(`MONGODB_URI is set: Tideflow uses that database, not an embedded server (${dir} unused)`);
      return action === 'status' ? 0 : 1;
    }
    if (action === 'start') {
      const server = await ensureEmbeddedServer(dir, { idleMinutes: config.TIDEFLOW_DB_IDLE_MINUTES });
      io.out(`embedded database running at ${server.uri} (data in ${dir})`);
      if (server.started) io.err(`tideflow: ${embeddedStartedNotice(dir, config.TIDEFLOW_DB_IDLE_MINUTES)}`);
      return 0;
    }
    if (action === 'stop') {
      io.out(
        (await stopEmbeddedServer(dir))
          ? `stopped the embedded database of ${dir}`
          : `no embedded database running for ${dir}`,
      );
      return 0;
    }
    const status = await embeddedServerStatus(dir);
    io.out(
      status
        ? `running: pid ${status.pid}, ${status.uri}, data in ${dir}`
        : `not running (data in ${dir}); any command that needs it starts it`,
    );
    return 0;
  },
};
