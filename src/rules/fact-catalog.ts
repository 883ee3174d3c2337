import { CATEGORIES } from '../domain/event.js';
import { dayKey, daysBetween } from '../domain/day.js';
import {
  amountSum,
  categoryShare,
  daysSince,
  eventCount,
  intentScore,
  preferredCategory,
  type MetricClock,
} from '../domain/windowed-metrics.js';
import { hasPurchased, type Channel, type Profile, subscribedTopics } from '../domain/profile.js';
import type { Scoring } from '../domain/intent-scoring.js';
import { attributePushdown, fieldPushdown, flagPushdown, windowDays, windowPushdown } from './fact-pushdown.js';
import type {
  FactDefinition,
  FactGroup,
  Filter,
  LeafView,
  ParamDefinition,
  Params,
  PlanContext,
} from './fact-types.js';

/**
 * THE fact catalog: every fact a rule may name, with its params, value type, how it is computed
 * from a profile (src/domain/windowed-metrics.ts) and how it narrows the MongoDB prefilter. Validation,
 * the engine, the compiled evaluator, the JSON Schema and docs/rules.md all read this table.
 */

const days = (description: string, dflt?: (s: Scoring) => number, defaultDoc?: string): ParamDefinition => ({
  kind: 'days',
  description,
  ...(dflt ? { default: dflt, defaultDoc } : {}),
});
const intentDays = days('window in days', (s) => s.intent.windowDays, 'scoring `intent.windowDays` (14)');
const preferenceDays = days('window in days', (s) => s.preference.windowDays, 'scoring `preference.windowDays` (30)');
const eventType: ParamDefinition = { kind: 'eventType', description: 'event type' };
const category: ParamDefinition = { kind: 'category', description: 'product category' };

const num = (p: Params, k: string): number => p[k] as number;
const str = (p: Params, k: string): string => p[k] as string;

function ageInDays(at: Date | undefined, clock: MetricClock): number | null {
  return at ? daysBetween(dayKey(at, clock.tz), dayKey(clock.now, clock.tz)) : null;
}

function windowFields(d: number, ctx: PlanContext): string[] {
  return windowDays(d, ctx).map((k) => `buckets.${k}`);
}

/** A yes/no fact: `whenTrue` / `whenFalse` select the profiles with that answer. */
function flag(
  name: string,
  group: FactGroup,
  description: string,
  fields: string[],
  compute: (p: Profile) => boolean,
  whenTrue: Filter | undefined,
  whenFalse: Filter | undefined,
): FactDefinition {
  return {
    name,
    group,
    description,
    params: {},
    type: { kind: 'boolean' },
    compute: (p) => compute(p),
    fields: () => fields,
    pushdown: flagPushdown(whenTrue, whenFalse),
    pushdownDoc: `true: \`${JSON.stringify(whenTrue ?? {})}\`; false: \`${JSON.stringify(whenFalse ?? {})}\``,
  };
}

/** A number stored on the profile, 0 when absent. */
function counter(
  name: string,
  description: string,
  field: string,
  read: (p: Profile) => number | undefined,
): FactDefinition {
  return {
    name,
    group: 'lifecycle',
    description,
    params: {},
    type: { kind: 'number' },
    compute: (p) => read(p) ?? 0,
    fields: () => [field],
    pushdown: fieldPushdown(field, 0),
    pushdownDoc: `range on \`${field}\``,
  };
}

/** Whole days since a stored instant, null when it never happened. */
function age(name: string, description: string, field: string, read: (p: Profile) => Date | undefined): FactDefinition {
  return {
    name,
    group: 'lifecycle',
    description,
    params: {},
    type: { kind: 'number', nullable: true },
    compute: (p, _params, ctx) => ageInDays(read(p), ctx),
    fields: () => [field],
    pushdown: ({ operator, value }) => (operator.evaluate(null, value) ? undefined : { [field]: { $ne: null } }),
    pushdownDoc: `\`${field}\` present, when null fails the leaf`,
  };
}

const consentField = (channel: string): string => `consent.${channel}.granted`;
const consentPushdown = (channel: string) =>
  flagPushdown({ [consentField(channel)]: true }, { [consentField(channel)]: { $ne: true } });

function consent(channel: Channel): FactDefinition {
  const name = `consent${channel[0]?.toUpperCase() ?? ''}${channel.slice(1)}`;
  return {
    name,
    group: 'consent',
    description: `the user granted ${channel} consent (and has not withdrawn it)`,
    params: {},
    type: { kind: 'boolean' },
    compute: (p) => p.consent?.[channel]?.granted === true,
    fields: () => [consentField(channel)],
    pushdown: consentPushdown(channel),
    pushdownDoc: `true: \`{"${consentField(channel)}":true}\`; false: \`{"${consentField(channel)}":{"$ne":true}}\``,
  };
}

const purchased = { 'lifecycle.purchaseCount': { $gt: 0 } };
const notPurchased = { 'lifecycle.purchaseCount': { $not: { $gt: 0 } } };
const present = (field: string) => ({ [field]: { $ne: null } });
const absent = (field: string) => ({ [field]: null });
const windowDoc = 'when the empty value (0, or null) fails the leaf: `lastAt` shows an event in the window';
const DETAIL = ['view_product_detail'];
/** Event types with a weight above 0: only they move the intent score. */
const weighted = (s: Scoring): string[] =>
  Object.entries(s.intent.weights)
    .filter(([, w]) => w > 0)
    .map(([t]) => t);

export const FACTS: readonly FactDefinition[] = [
  {
    name: 'userId',
    group: 'profile',
    description: 'the user id',
    params: {},
    type: { kind: 'string' },
    compute: (p) => p._id,
    fields: () => ['_id'],
    pushdown: fieldPushdown('_id', undefined),
    pushdownDoc: 'on `_id`',
  },
  {
    name: 'attributes',
    group: 'profile',
    description: 'a profile attribute, named by `path` (e.g. `$.riskTolerance`); undefined when absent',
    params: {},
    type: { kind: 'attribute' },
    pathDepth: 1,
    compute: (p) => p.attributes ?? {},
    fields: (_p, _c, path) => [path?.length ? `attributes.${path.join('.')}` : 'attributes'],
    pushdown: attributePushdown,
    pushdownDoc: 'on `attributes.<name>`',
  },
  {
    name: 'topics',
    group: 'profile',
    description: 'push topics the user subscribed to',
    params: {},
    type: { kind: 'strings' },
    compute: (p) => subscribedTopics(p),
    fields: () => ['topics', 'topicsAt', 'topicOptOuts'],
    pushdown: fieldPushdown('topics', []),
    pushdownDoc: 'on `topics`',
  },
  flag(
    'hasPhone',
    'profile',
    'a phone number is on file',
    ['phone'],
    (p) => p.phone != null,
    present('phone'),
    absent('phone'),
  ),
  flag(
    'hasEmail',
    'profile',
    'an email address is on file',
    ['email'],
    (p) => p.email != null,
    present('email'),
    absent('email'),
  ),
  flag(
    'hasPushToken',
    'profile',
    'a push token is on file',
    ['pushToken'],
    (p) => p.pushToken != null,
    present('pushToken'),
    absent('pushToken'),
  ),
  {
    name: 'acquisitionChannel',
    group: 'lifecycle',
    description: 'the channel the user came from; null when unknown',
    params: {},
    type: { kind: 'string', nullable: true },
    compute: (p) => p.acquisitionChannel ?? null,
    fields: () => ['acquisitionChannel'],
    pushdown: fieldPushdown('acquisitionChannel', null),
    pushdownDoc: 'on `acquisitionChannel`',
  },
  flag(
    'hasPurchased',
    'lifecycle',
    'old customer: purchased at least once',
    ['lifecycle.purchaseCount'],
    hasPurchased,
    purchased,
    notPurchased,
  ),
  flag(
    'isNewCustomer',
    'lifecycle',
    'new customer: never purchased',
    ['lifecycle.purchaseCount'],
    (p) => !hasPurchased(p),
    notPurchased,
    purchased,
  ),
  flag(
    'fundsRedeemed',
    'lifecycle',
    'the latest money movement returned money to the user (redeem or mature)',
    ['lifecycle.fundsRedeemed'],
    (p) => p.lifecycle?.fundsRedeemed === true,
    { 'lifecycle.fundsRedeemed': true },
    { 'lifecycle.fundsRedeemed': { $ne: true } },
  ),
  flag(
    'registered',
    'lifecycle',
    'the user registered',
    ['lifecycle.registeredAt'],
    (p) => p.lifecycle?.registeredAt != null,
    present('lifecycle.registeredAt'),
    absent('lifecycle.registeredAt'),
  ),
  flag(
    'realNameVerified',
    'lifecycle',
    'real-name verification done',
    ['lifecycle.realNameAt'],
    (p) => p.lifecycle?.realNameAt != null,
    present('lifecycle.realNameAt'),
    absent('lifecycle.realNameAt'),
  ),
  flag(
    'cardBound',
    'lifecycle',
    'a bank card is bound',
    ['lifecycle.cardBoundAt'],
    (p) => p.lifecycle?.cardBoundAt != null,
    present('lifecycle.cardBoundAt'),
    absent('lifecycle.cardBoundAt'),
  ),
  counter('purchaseCount', 'number of purchases, ever', 'lifecycle.purchaseCount', (p) => p.lifecycle?.purchaseCount),
  counter(
    'totalPurchased',
    'lifetime purchase amount, yuan',
    'lifecycle.totalPurchased',
    (p) => p.lifecycle?.totalPurchased,
  ),
  counter(
    'totalRedeemed',
    'lifetime redeemed and matured amount, yuan',
    'lifecycle.totalRedeemed',
    (p) => p.lifecycle?.totalRedeemed,
  ),
  age(
    'daysSinceRegister',
    'calendar days from registering to now (0 = today); null when not registered',
    'lifecycle.registeredAt',
    (p) => p.lifecycle?.registeredAt,
  ),
  age(
    'daysSinceLastPurchase',
    'calendar days from the latest purchase to now; null when none',
    'lifecycle.lastPurchaseAt',
    (p) => p.lifecycle?.lastPurchaseAt,
  ),
  {
    name: 'intentScore',
    group: 'activity',
    description: 'purchase intent: Σ weight × count of events in the window (weights in scoring.json)',
    params: { days: intentDays },
    type: { kind: 'number' },
    compute: (p, a, ctx) => intentScore(p, num(a, 'days'), ctx.weights, ctx),
    fields: (a, ctx) => windowFields(num(a, 'days'), ctx),
    pushdown: (leaf, ctx) => windowPushdown(0, num(leaf.params, 'days'), weighted(ctx.scoring), ctx, leaf),
    pushdownDoc: `${windowDoc} (any weighted type)`,
  },
  {
    name: 'categoryShare',
    group: 'activity',
    description: 'share (0–1) of detail-page dwell time spent on `category` in the window',
    params: { category, days: preferenceDays },
    type: { kind: 'number' },
    compute: (p, a, ctx) => categoryShare(p, str(a, 'category'), num(a, 'days'), ctx),
    fields: (a, ctx) => windowFields(num(a, 'days'), ctx),
    pushdown: (leaf, ctx) => windowPushdown(0, num(leaf.params, 'days'), DETAIL, ctx, leaf),
    pushdownDoc: `${windowDoc} (\`view_product_detail\`)`,
  },
  {
    name: 'preferredCategory',
    group: 'activity',
    description: 'the category with the largest dwell share, when above scoring `preference.threshold`; else null',
    params: { days: preferenceDays },
    type: { kind: 'string', nullable: true, values: CATEGORIES },
    compute: (p, a, ctx) =>
      preferredCategory(p, CATEGORIES, num(a, 'days'), ctx.scoring.preference.threshold, ctx) ?? null,
    fields: (a, ctx) => windowFields(num(a, 'days'), ctx),
    pushdown: (leaf, ctx) => windowPushdown(null, num(leaf.params, 'days'), DETAIL, ctx, leaf),
    pushdownDoc: `${windowDoc} (\`view_product_detail\`)`,
  },
  {
    name: 'eventCount',
    group: 'activity',
    description: 'number of events of `type` in the window',
    params: { type: eventType, days: days('window in days') },
    type: { kind: 'number' },
    compute: (p, a, ctx) => eventCount(p, str(a, 'type'), num(a, 'days'), ctx),
    fields: (a, ctx) => windowFields(num(a, 'days'), ctx),
    pushdown: (leaf, ctx) => windowPushdown(0, num(leaf.params, 'days'), [str(leaf.params, 'type')], ctx, leaf),
    pushdownDoc: `${windowDoc} (\`type\`)`,
  },
  {
    name: 'amountSum',
    group: 'activity',
    description: 'sum of `amount` (yuan) over events of `type` in the window',
    params: { type: eventType, days: days('window in days') },
    type: { kind: 'number' },
    compute: (p, a, ctx) => amountSum(p, str(a, 'type'), num(a, 'days'), ctx),
    fields: (a, ctx) => windowFields(num(a, 'days'), ctx),
    pushdown: (leaf, ctx) => windowPushdown(0, num(leaf.params, 'days'), [str(leaf.params, 'type')], ctx, leaf),
    pushdownDoc: `${windowDoc} (\`type\`)`,
  },
  {
    name: 'daysSince',
    group: 'activity',
    description: 'calendar days since the latest event of `type` (0 = today); null when none',
    params: { type: eventType },
    type: { kind: 'number', nullable: true },
    compute: (p, a, ctx) => daysSince(p, str(a, 'type'), ctx),
    fields: (a) => ['buckets', `lastAt.${str(a, 'type')}`],
    pushdown: ({ operator, value, params }) =>
      operator.evaluate(null, value) ? undefined : { [`lastAt.${str(params, 'type')}`]: { $ne: null } },
    pushdownDoc: '`lastAt.<type>` present, when null fails the leaf',
  },
  consent('sms'),
  consent('email'),
  consent('push'),
  {
    name: 'consent',
    group: 'consent',
    description: 'the user granted consent for `channel`',
    params: { channel: { kind: 'channel', description: 'delivery channel' } },
    type: { kind: 'boolean' },
    compute: (p, a) => p.consent?.[str(a, 'channel') as Channel]?.granted === true,
    fields: (a) => [consentField(str(a, 'channel'))],
    pushdown: (leaf) => consentPushdown(str(leaf.params, 'channel'))(leaf),
    pushdownDoc: 'as `consentSms` / `consentEmail` / `consentPush`',
  },
  {
    name: 'intentPercentile',
    group: 'rank',
    description: 'share (0–1) of ALL profiles whose intent score is strictly lower: top 20% is `>= 0.8`',
    params: { days: intentDays },
    type: { kind: 'number' },
    compute: (p, a, ctx) => ctx.intentPercentile(num(a, 'days'), intentScore(p, num(a, 'days'), ctx.weights, ctx)),
    fields: (a, ctx) => windowFields(num(a, 'days'), ctx),
    pushdown: (leaf, ctx) => windowPushdown(0, num(leaf.params, 'days'), weighted(ctx.scoring), ctx, leaf),
    pushdownDoc: `${windowDoc} (any weighted type; above 0 needs a score above 0)`,
  },
  {
    name: 'inSegment',
    group: 'segment',
    description: 'the user is a member of another segment',
    params: { segment: { kind: 'segment', description: 'segment id' } },
    type: { kind: 'boolean' },
    compute: (p, a, ctx) => ctx.inSegment(str(a, 'segment'), p),
    fields: (a, ctx) => ctx.segmentPlan(str(a, 'segment')).fields,
    pushdown: (leaf: LeafView, ctx) =>
      flagPushdown(ctx.segmentPlan(str(leaf.params, 'segment')).prefilter, undefined)(leaf),
    pushdownDoc: "the referenced segment's prefilter",
  },
];

const byName = new Map(FACTS.map((f) => [f.name, f]));

export function findFact(name: string): FactDefinition | undefined {
  return byName.get(name);
}

export const FACT_NAMES: readonly string[] = FACTS.map((f) => f.name);
