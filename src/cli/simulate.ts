import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CHANNEL_SETUP } from '../channels/setup-hint.js';
import type { Channel } from '../domain/profile.js';
import { ValidationError } from '../errors.js';
import { openTideflow } from '../main.js';
import { auditCli } from '../wiring/access.js';
import { formatTally } from '../decide/campaign-tally.js';
import type { Simulation, SkipGroup } from '../deliver/simulate-campaign.js';
import { simulateAssuming } from '../deliver/simulate-assumed.js';
import type { Command, Io } from './command.js';
import { parseNowArg } from './now-arg.js';
import { smsLengthText } from './preview.js';
import { formatInstant, localizeInstants } from '../domain/time-format.js';
import { warnAboutNow } from './now-warnings.js';

const Samples = z.coerce.number().int().min(0).max(50);

/** A dry run needs no provider: each channel the campaign lists and none configures is assumed, and said so. */
function assumedLines(assumed: readonly Channel[]): string[] {
  return assumed.map(
    (ch) =>
      `  ${ch}: not configured, assumed for this dry run; a real run would not send on it (set ${CHANNEL_SETUP[ch]}, or run with --sandbox)`,
  );
}

function print(io: Io, s: Simulation, tz: string, assumed: readonly Channel[]): void {
  io.out(`${s.campaignId}  dry run at ${formatInstant(s.now, tz)}: nothing is written, sent or granted`);
  for (const line of assumedLines(assumed)) io.out(line);
  for (const line of formatTally(s.tally, 'would send')) io.out(line);
  for (const line of formatSkips(s.skips)) io.out(localizeInstants(line, tz));
  for (const sample of s.samples) {
    io.out('');
    io.out(
      `  ${sample.userId}: ${sample.channel} at ${sample.sendAt ? formatInstant(sample.sendAt, tz) : 'once due'}${sample.product ? `, ${sample.product}` : ''}${sample.incentive ? `, ${sample.incentive}` : ''}`,
    );
    if (sample.sms) io.out(`    ${smsLengthText(sample.sms)}`);
    if (sample.message?.subject) io.out(`    ${sample.message.subject}`);
    if (sample.message) for (const line of sample.message.text.split('\n')) io.out(`    ${line}`);
    if (sample.renderError) io.out(`    does not render: ${sample.renderError}`);
  }
}

/** Skipped users by reason, a few ids each: who was held back, and by what. */
export function formatSkips(skips: readonly SkipGroup[]): string[] {
  if (skips.length === 0) return [];
  const lines = ['', '  skipped by reason'];
  for (const g of skips) {
    const more = g.count - g.users.length;
    lines.push(`    ${g.reason} ${g.count}${more > 0 ? ` (first ${g.users.length})` : ''}`);
    for (const u of g.users) lines.push(`      ${u.userId}${u.detail ? `  ${u.detail}` : ''}`);
  }
  return lines;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'dry-run a campaign: audience, decisions by reason, sends by channel, cost, samples',
  usage: 'simulate <campaign> [--now ISO] [--samples 3] [--json]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { now: { type: 'string' }, samples: { type: 'string' }, json: { type: 'boolean' } },
    });
    const [id, ...extra] = positionals;
    if (!id || extra.length > 0) {
      io.err(`usage: tideflow ${simulateCommand.usage}`);
      return 1;
    }
    const now = parseNowArg(values.now);
    const samples = values.samples === undefined ? undefined : Samples.safeParse(values.samples);
    if (samples && !samples.success)
      throw new ValidationError('invalid arguments', [{ path: '--samples', message: 'a whole number from 0 to 50' }]);
    const tf = await openTideflow(config, now ? { clock: () => new Date(now) } : {});
    try {
      await auditCli(tf, 'campaign.simulate', id);
      await warnAboutNow(
        tf,
        now,
        io,
        [...tf.segments.rules.segments.values()].map((s) => s.conditions),
      );
      const simulation = await simulateAssuming(
        (await tf.campaigns()).simulate,
        id,
        samples ? { samples: samples.data } : {},
      );
      if (values.json) io.out(JSON.stringify(simulation, null, 2));
      else print(io, simulation, config.TIDEFLOW_TZ, simulation.assumedChannels);
      return 0;
    } finally {
      await tf.close();
    }
  },
};
