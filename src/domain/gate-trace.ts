import { budgetCharge, canCharge, toFen } from './budget.js';
import { effectiveLimits } from './campaign-limits.js';
import type { Skip, SkipReason } from './decision.js';
import {
  chooseChannel,
  DEFAULT_POLICY,
  historyGate,
  holdoutGate,
  incentiveGate,
  statusGate,
  triggerGate,
  type DecideInput,
} from './gates.js';
import { incentiveFor } from './incentive.js';
import { recommendProduct } from './product.js';
import { nextAllowedTime } from './quiet-hours.js';

export const GATES = [
  'status',
  'trigger',
  'holdout',
  'channel',
  'quiet-hours',
  'history',
  'incentive',
  'budget',
  'product',
] as const;
export type Gate = (typeof GATES)[number];

/** One gate's answer for one user: `not-reached` when it needs a channel and none is usable. */
export interface GateCheck {
  gate: Gate;
  outcome: 'pass' | 'fail' | 'not-reached';
  /** The skip reason a failing gate gives. */
  reason?: SkipReason;
  detail: string;
}

const check = (gate: Gate, failed: Skip | undefined, passed: string): GateCheck =>
  failed
    ? { gate, outcome: 'fail', reason: failed.reason, detail: failed.detail ?? failed.reason }
    : { gate, outcome: 'pass', detail: passed };

/**
 * Every planning gate of `decide` (domain/gates.ts) for one user, each answered on its own and in
 * decide's order, so an operator sees all that stands in the way, not only the first: the first
 * `fail` is the skip `decide` gives. Gates after the channel need one and are `not-reached` without.
 */
export function traceGates(input: DecideInput): GateCheck[] {
  const { campaign: c, recipient: r, now } = input;
  const policy = input.policy ?? DEFAULT_POLICY;
  const limits = effectiveLimits(c.limits, policy.limits);
  const early = [
    check('status', statusGate(c.status), c.status),
    check(
      'trigger',
      triggerGate(c, input.trigger, now),
      input.trigger ? `${input.trigger.type} at ${input.trigger.at.toISOString()}` : 'no triggering event to expire',
    ),
    check('holdout', holdoutGate(c, r), `not in the ${c.holdout ?? 0}% control group`),
  ];
  const route = chooseChannel(c.channels, r);
  if (typeof route !== 'string') {
    const rest = GATES.slice(GATES.indexOf('quiet-hours'));
    const missing = rest.map((gate): GateCheck => ({ gate, outcome: 'not-reached', detail: 'no usable channel' }));
    return [...early, check('channel', route, ''), ...missing];
  }
  const sendAt = nextAllowedTime(now, limits.quietHours[route], r.timezone);
  const grant = incentiveFor(c.incentive, input.trigger, sendAt);
  const messageCostFen = policy.messageCostFen[route];
  const budgetFen = c.budget ? budgetCharge(c.budget, grant?.costFen ?? 0, messageCostFen) : 0;
  const state = c.budget ? (input.budget ?? { capFen: toFen(c.budget.cap), spentFen: 0 }) : undefined;
  const pick = c.product
    ? recommendProduct(input.catalog, c.product, { tolerance: r.riskTolerance, preferredCategory: r.preferredCategory })
    : undefined;
  return [
    ...early,
    check('channel', undefined, `${route}: consent, a contact point, not suppressed`),
    check(
      'quiet-hours',
      undefined,
      sendAt.getTime() === now.getTime() ? 'outside quiet hours' : `postponed to ${sendAt.toISOString()}`,
    ),
    check(
      'history',
      // decide's cap, cooldown and priority checks
      historyGate(c, r.timezone, route, sendAt, input.history, limits),
      'no cooldown, frequency cap or higher-priority campaign in the way',
    ),
    check('incentive', incentiveGate(c, grant, input, sendAt, limits), grant ? grant.type : 'no incentive'),
    check(
      'budget',
      state && !canCharge(state, budgetFen)
        ? {
            kind: 'skip',
            reason: 'budget',
            detail: `needs ${budgetFen} fen, ${Math.max(0, state.capFen - state.spentFen)} left`,
          }
        : undefined,
      state ? `${budgetFen} fen of ${state.capFen - state.spentFen} left` : 'no budget',
    ),
    check(
      'product',
      pick?.kind === 'none' ? { kind: 'skip', reason: pick.reason, detail: pick.detail } : undefined,
      pick?.kind === 'none' ? '' : (pick?.product.id ?? 'no product'),
    ),
  ];
}
