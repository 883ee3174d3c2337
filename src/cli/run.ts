import { parseArgs } from 'node:util';
import { missingChannels, noChannelMessage } from '../channels/setup-hint.js';
import { ConfigError } from '../errors.js';
import { openTideflow } from '../main.js';
import { auditCli } from '../wiring/access.js';
import { runNow } from '../deliver/run-now.js';
import { formatTally } from '../decide/campaign-tally.js';
import { assertRunnable } from '../deliver/run-guard.js';
import type { Command } from './command.js';
import { parseNowArg } from './now-arg.js';
import { SANDBOX_OPTION, sendingRuntime, type Sending } from './sandbox-option.js';
import { formatInstant } from '../domain/time-format.js';
import { warnAboutNow } from './now-warnings.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run one occurrence of a campaign now: plan, send what is due, print what happened',
  usage: 'run <campaign> [--now ISO] [--sandbox] [--json]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { now: { type: 'string' }, json: { type: 'boolean' }, ...SANDBOX_OPTION },
    });
    const [id, ...extra] = positionals;
    if (!id || extra.length > 0) {
      io.err(`usage: tideflow ${runCommand.usage}`);
      return 1;
    }
    const now = parseNowArg(values.now);
    // With --now the whole run (audience, gates, quiet hours, which sends are due) sees that instant.
    const tf = await openTideflow(config, now ? { clock: () => new Date(now) } : {});
    let sending: Sending | undefined;
    try {
      sending = await sendingRuntime(tf, values.sandbox, io);
      const { rt } = sending;
      const campaign = await rt.campaigns.get(id);
      if (missingChannels(campaign.channels, rt.run.channels).length === campaign.channels.length)
        throw new ConfigError(noChannelMessage(id, campaign.channels));
      await auditCli(tf, 'campaign.run', id, now ? { now: now.toISOString() } : undefined);
      assertRunnable(campaign);
      await warnAboutNow(
        tf,
        now,
        io,
        [...tf.segments.rules.segments.values()].map((s) => s.conditions),
      );
      const { run, tally } = await runNow(rt, id);
      await sending.sandbox?.settled();
      if (values.json) {
        io.out(JSON.stringify({ run, tally }, null, 2));
        return 0;
      }
      io.out(`${id}  occurrence ${run.occurrence}, audience at ${formatInstant(run.now, config.TIDEFLOW_TZ)}`);
      for (const line of formatTally(tally)) io.out(line);
      if (tally.pending > 0)
        io.out(
          `  (${tally.pending} wait for quiet hours or a retry: a worker, tideflow work or serve, sends them when due)`,
        );
      if (sending.sandbox) io.out(`  sandbox: see the messages with \`tideflow inbox --campaign ${id}\``);
      return 0;
    } finally {
      await sending?.close();
      await tf.close();
    }
  },
};
