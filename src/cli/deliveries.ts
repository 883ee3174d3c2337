import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SKIP_REASONS } from '../domain/decision.js';
import { DELIVERY_STATES, FAILURE_REASONS, UNKNOWN_REASONS, type Delivery } from '../domain/delivery.js';
import { ValidationError } from '../errors.js';
import { openTideflow } from '../main.js';
import { formatFen } from '../decide/campaign-tally.js';
import type { DeliveryFilter } from '../ports/delivery-ledger.js';
import { closestName } from '../rules/closest-name.js';
import type { Command, Io } from './command.js';
import { formatInstant, localizeInstants } from '../domain/time-format.js';
import { argOf } from './keys.js';

const REASONS: readonly string[] = [...SKIP_REASONS, ...FAILURE_REASONS, ...UNKNOWN_REASONS];
const Limit = z.coerce.number().int().min(1).max(10_000);
const Status = z.enum(DELIVERY_STATES, { message: `one of ${DELIVERY_STATES.join(', ')}` });

/** `--reason` must be a reason the ledger can hold: a typo would silently list nothing. */
function reasonOf(value: string): string {
  if (REASONS.includes(value)) return value;
  const near = closestName(value, REASONS);
  throw new ValidationError('invalid arguments', [
    {
      path: '--reason',
      message: `unknown reason '${value}'${near ? ` (did you mean ${near}?)` : ''}`,
      hint: `one of ${REASONS.join(', ')}`,
    },
  ]);
}

/** One ledger row as the columns of the text table. */
function columns(d: Delivery, tz: string): string[] {
  const time = (at: Date | undefined): string => (at ? formatInstant(at, tz) : '');
  const incentive = d.incentive ? `${d.incentive.type} ${formatFen(d.incentive.costFen)}` : '';
  return [
    d.userId,
    d.occurrence,
    d.state,
    d.reason ?? '',
    d.channel ?? '',
    d.messageCostFen === undefined ? '' : formatFen(d.messageCostFen),
    incentive,
    time(d.decidedAt),
    time(d.sentAt ?? d.sendAt),
    localizeInstants(d.detail ?? '', tz),
  ];
}

const HEADER = [
  'user',
  'occurrence',
  'status',
  'reason',
  'channel',
  'cost',
  'incentive',
  'decided',
  'sent/due',
  'detail',
];

/** Rows as aligned columns, times in `tz` (the last one, the detail, is not padded). */
export function deliveryTable(rows: readonly Delivery[], tz: string): string[] {
  const cells = [HEADER, ...rows.map((d) => columns(d, tz))];
  const widths = HEADER.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function print(io: Io, campaignId: string, total: number, rows: readonly Delivery[], tz: string): void {
  if (total === 0) {
    io.out(`${campaignId}: no deliveries match`);
    return;
  }
  const shown = rows.length < total ? ` (the newest ${rows.length}: raise --limit for more)` : '';
  io.out(`${campaignId}: ${total} deliver${total === 1 ? 'y' : 'ies'}${shown}; cost and incentive in yuan`);
  for (const line of deliveryTable(rows, tz)) io.out(line);
}

/** `tideflow deliveries`: the ledger of a campaign, filtered: who got what, who was skipped and why. */
export const deliveriesCommand: Command = {
  name: 'deliveries',
  summary: "a campaign's ledger: each user's status, skip or failure reason, channel, cost and times",
  usage: 'deliveries <campaign> [--status S] [--reason R] [--user ID] [--occurrence O] [--limit 50] [--json]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        status: { type: 'string' },
        reason: { type: 'string' },
        user: { type: 'string' },
        occurrence: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const [id, ...extra] = positionals;
    if (!id || extra.length > 0) {
      io.err(`usage: tideflow ${deliveriesCommand.usage}`);
      return 1;
    }
    const filter: DeliveryFilter = {
      campaignId: id,
      ...(values.status !== undefined ? { state: argOf(Status, values.status, '--status') } : {}),
      ...(values.reason !== undefined ? { reason: reasonOf(values.reason) } : {}),
      ...(values.user !== undefined ? { userId: values.user } : {}),
      ...(values.occurrence !== undefined ? { occurrence: values.occurrence } : {}),
    };
    const limit = values.limit === undefined ? 50 : argOf(Limit, values.limit, '--limit');
    const tf = await openTideflow(config);
    try {
      const rt = await tf.campaigns();
      await rt.campaigns.get(id);
      const page = await rt.ledger.list(filter, { limit, offset: 0 });
      if (values.json) io.out(JSON.stringify({ total: page.total, deliveries: page.items }, null, 2));
      else print(io, id, page.total, page.items, config.TIDEFLOW_TZ);
      return 0;
    } finally {
      await tf.close();
    }
  },
};
