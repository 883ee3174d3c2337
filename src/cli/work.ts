import { parseArgs } from 'node:util';
import { openTideflow } from '../main.js';
import { auditRulesLoaded } from '../wiring/access.js';
import { startCampaignWorker } from '../wiring/campaigns.js';
import type { Command } from './command.js';
import { watchOutages } from './outage.js';
import { SANDBOX_OPTION, sendingRuntime, type Sending } from './sandbox-option.js';
import { exitSoon, untilSignal } from './serve.js';

export const workCommand: Command = {
  name: 'work',
  summary: 'run a job worker (scheduled campaigns, triggers, chunks, the outbox) until interrupted; run several',
  usage: 'work [--sandbox]',
  async run(args, config, io) {
    const { values } = parseArgs({ args, strict: true, options: { ...SANDBOX_OPTION } });
    const tf = await openTideflow(config);
    let stopOutages = (): void => undefined;
    let sending: Sending | undefined;
    try {
      sending = await sendingRuntime(tf, values.sandbox, io);
      const { rt } = sending;
      await auditRulesLoaded(tf, 'work');
      const outages = watchOutages({
        ping: () => tf.ping(),
        log: (line) => tf.log.warn(line),
        report: () => undefined, // the worker logs every other error itself, with its job's ids
        now: () => new Date(),
      });
      stopOutages = () => outages.stop();
      // Job failures are logged with their stacks and context by the worker (tf.log); an
      // unreachable database is the outage watch's, logged once per outage.
      const worker = await startCampaignWorker(config, tf.db, rt, outages.report);
      io.err(
        `tideflow: worker ${process.pid} running (${worker.schedules.length} scheduled campaign${worker.schedules.length === 1 ? '' : 's'})`,
      );
      await untilSignal();
      io.err('tideflow: stopping the worker');
      await worker.stop();
      return 0;
    } finally {
      stopOutages();
      await sending?.close();
      await tf.close();
      exitSoon();
    }
  },
};
