import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CHANNELS } from '../domain/profile.js';
import type { SmsLength } from '../domain/sms-length.js';
import { openTideflow } from '../main.js';
import { previewMessage, type Preview } from '../deliver/preview.js';
import type { Command, Io } from './command.js';
import { localizeInstants } from '../domain/time-format.js';
import { argOf } from './keys.js';
import { parseNowArg } from './now-arg.js';

const ChannelArg = z.enum(CHANNELS, { message: `one of ${CHANNELS.join(', ')}` });

/** `UCS-2, 98 characters, 2 parts (70 in one, 67 per part)`. */
export function smsLengthText(s: SmsLength): string {
  const limits = s.encoding === 'GSM-7' ? '160 in one, 153 per part' : '70 in one, 67 per part';
  return `SMS ${s.encoding}, ${s.length} characters, ${s.parts} part${s.parts === 1 ? '' : 's'} (${limits})`;
}

/** The preview as text: the decision and gates with their instants in `tz` (TIDEFLOW_TZ), then the message as sent. */
function print(out: Io, p: Preview, tz: string): void {
  const io = { ...out, out: (line: string) => out.out(localizeInstants(line, tz)) };
  // The delivery key is printed as the ledger keeps it (an operator looks it up by it).
  out.out(`${p.campaignId} → ${p.userId} at ${localizeInstants(p.now, tz)}  (delivery ${p.deliveryId})`);
  io.out(
    `  audience   ${p.inAudience ? 'in the segment and conditions' : 'NOT in the segment and conditions: a run would not reach this user'}`,
  );
  const d = p.decision;
  io.out(
    d.kind === 'send'
      ? `  decision   send on ${d.channel} at ${d.sendAt}`
      : `  decision   skip: ${d.reason}${d.detail ? ` (${d.detail})` : ''}`,
  );
  const off = p.unconfigured;
  if (off) {
    const how = off.assumed ? 'decided as if every listed channel were' : 'a run here would not use them';
    io.out(`  note       not configured here: ${off.channels.join(', ')} (${how})`);
  }
  io.out('');
  io.out('  gates');
  for (const g of p.gates) io.out(`    ${g.outcome.padEnd(11)} ${g.gate.padEnd(11)} ${g.detail}`);
  io.out('');
  if (!p.message) {
    io.out(`  ${p.channel}: does not render: ${p.renderError ?? '?'}`);
    return;
  }
  io.out(`  ${p.channel} to ${p.message.to}${p.sms ? `: ${smsLengthText(p.sms)}` : ''}`);
  // The message itself exactly as it is sent: not localised.
  if (p.message.subject !== undefined) out.out(`  subject: ${p.message.subject}`);
  out.out('');
  out.out(p.message.text);
}

/** `tideflow preview`: one user's message, exactly as it would be sent, with the gates' decisions. */
export const previewCommand: Command = {
  name: 'preview',
  summary: "one user's message for a campaign exactly as sent, with SMS length and parts, and every gate",
  usage: 'preview <campaign> <userId> [--channel sms|email|push] [--now ISO] [--json]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { channel: { type: 'string' }, now: { type: 'string' }, json: { type: 'boolean' } },
    });
    const [id, userId, ...extra] = positionals;
    if (!id || !userId || extra.length > 0) {
      io.err(`usage: tideflow ${previewCommand.usage}`);
      return 1;
    }
    const now = parseNowArg(values.now);
    const channel = values.channel === undefined ? undefined : argOf(ChannelArg, values.channel, '--channel');
    const tf = await openTideflow(config, now ? { clock: () => new Date(now) } : {});
    try {
      const preview = await previewMessage((await tf.campaigns()).simulate, id, userId, {
        ...(now ? { now } : {}),
        ...(channel ? { channel } : {}),
      });
      if (values.json) io.out(JSON.stringify(preview, null, 2));
      else print(io, preview, config.TIDEFLOW_TZ);
      return 0;
    } finally {
      await tf.close();
    }
  },
};
