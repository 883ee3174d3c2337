// fast-check generators of profiles and rule trees for the rules property tests: missing fields,
// nulls, numeric strings and values of the wrong type on purpose.
import fc from 'fast-check';
import { addDays } from '../../src/domain/day.js';
import { BUILTIN_EVENT_TYPES, CATEGORIES } from '../../src/domain/event.js';
import type { DayBucket, Profile } from '../../src/domain/profile.js';
import { DEFAULT_SCORING, weightsInHundredths } from '../../src/domain/intent-scoring.js';
import type { Condition, Leaf, Segment } from '../../src/rules/condition.js';
import { FACTS } from '../../src/rules/fact-catalog.js';
import type { FactContext, FactDefinition, ParamKind, ValueKind } from '../../src/rules/fact-types.js';
import { OPERATOR_NAMES, OPERATORS } from '../../src/rules/operators.js';
import { ScoreDistribution } from '../../src/rules/rank.js';
import { intentScore } from '../../src/domain/windowed-metrics.js';

export const NOW = new Date('2026-11-20T10:00:00+08:00');
export const TZ = 'Asia/Shanghai';
const TODAY = '2026-11-20';
const ATTRS = ['riskTolerance', 'city', 'age', 'vip'];
const TYPES = [...BUILTIN_EVENT_TYPES, 'message_clicked'];

const instant = fc
  .integer({ min: -120, max: 3 })
  .chain((d) =>
    fc
      .integer({ min: 0, max: 86_399 })
      .map((s) => new Date(Date.parse(`${addDays(TODAY, d)}T00:00:00+08:00`) + s * 1000)),
  );

const scalar = fc.oneof(
  fc.constantFrom('R3', 'Shanghai', '10', '0.5', '', 'bond', 'abc', 'sms'),
  fc.constantFrom(0, 1, 2, 3, 5, 14, 0.4, -1, 30, 50_000),
  fc.double({ min: -100, max: 100_000, noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);

const bucket: fc.Arbitrary<DayBucket> = fc.record(
  {
    n: fc.dictionary(fc.constantFrom(...TYPES), fc.integer({ min: 1, max: 30 }), { maxKeys: 5, noNullPrototype: true }),
    dwell: fc.dictionary(fc.constantFrom(...CATEGORIES), fc.integer({ min: 1, max: 900 }), {
      maxKeys: 3,
      noNullPrototype: true,
    }),
    dwellAll: fc.integer({ min: 0, max: 2000 }),
    amount: fc.dictionary(
      fc.constantFrom('purchase', 'redeem', 'mature'),
      fc.integer({ min: 1, max: 10_000_000 }).map((c) => c / 100),
      { maxKeys: 2, noNullPrototype: true },
    ),
  },
  { requiredKeys: [] },
);

const consent = fc.record({ granted: fc.boolean(), at: instant, source: fc.constant('signup') });

/**
 * What ingest guarantees and the prefilter relies on: a bucket's dwell comes from detail views and
 * its amounts from events of that type, and `lastAt[type]` is no earlier than any event counted.
 */
function asIngested(p: Profile): Profile {
  if (!p.buckets) return p;
  const lastAt: Record<string, Date> = { ...p.lastAt };
  const buckets: Record<string, DayBucket> = {};
  for (const [day, b] of Object.entries(p.buckets)) {
    const n = { ...b.n };
    if (Object.keys(b.dwell ?? {}).length > 0) n.view_product_detail ??= 1;
    for (const t of Object.keys(b.amount ?? {})) n[t] ??= 1;
    const noon = new Date(`${day}T12:00:00+08:00`);
    for (const t of Object.keys(n)) if (!lastAt[t] || lastAt[t] < noon) lastAt[t] = noon;
    buckets[day] = { ...b, n };
  }
  return { ...p, buckets, lastAt };
}

/** A profile as stored, with any field possibly missing. */
export function profile(id: string): fc.Arbitrary<Profile> {
  return fc
    .record(
      {
        _id: fc.constant(id),
        phone: fc.constant('+8613800138000'),
        email: fc.constant('u@example.com'),
        topics: fc.subarray(['bond-news', 'new-products', 'yield-alerts']),
        attributes: fc.dictionary(fc.constantFrom(...ATTRS), scalar, { maxKeys: 4, noNullPrototype: true }),
        acquisitionChannel: fc.constantFrom('baidu_sem', 'app_store', 'referral'),
        consent: fc.record({ sms: consent, email: consent, push: consent }, { requiredKeys: [] }),
        lifecycle: fc.record(
          {
            registeredAt: instant,
            realNameAt: instant,
            cardBoundAt: instant,
            lastPurchaseAt: instant,
            purchaseCount: fc.integer({ min: 0, max: 6 }),
            fundsRedeemed: fc.boolean(),
            totalPurchased: fc.constantFrom(0, 1000, 49_999.99, 50_000, 250_000),
            totalRedeemed: fc.constantFrom(0, 5000),
          },
          { requiredKeys: [] },
        ),
        lastAt: fc.dictionary(fc.constantFrom(...TYPES), instant, { maxKeys: 4, noNullPrototype: true }),
        buckets: fc.dictionary(
          fc.integer({ min: -95, max: 3 }).map((d) => addDays(TODAY, d)),
          bucket,
          { maxKeys: 12, noNullPrototype: true },
        ),
      },
      { requiredKeys: ['_id'] },
    )
    .map(asIngested);
}

export function population(size: number): fc.Arbitrary<Profile[]> {
  return fc.tuple(...Array.from({ length: size }, (_, i) => profile(`u${i}`)));
}

const PARAM_VALUES: Record<ParamKind, fc.Arbitrary<string | number>> = {
  days: fc.oneof(fc.constantFrom(1, 7, 14, 30, 90), fc.integer({ min: 1, max: 90 })),
  category: fc.constantFrom(...CATEGORIES),
  eventType: fc.constantFrom(...TYPES),
  channel: fc.constantFrom('sms', 'email', 'push'),
  segment: fc.constant('helper'),
};

function params(fact: FactDefinition): fc.Arbitrary<Record<string, string | number>> {
  const entries = Object.entries(fact.params).map(([name, def]) => [name, PARAM_VALUES[def.kind]] as const);
  const required = Object.entries(fact.params)
    .filter(([, d]) => !d.default)
    .map(([n]) => n);
  return fc.record(Object.fromEntries(entries), { requiredKeys: required });
}

function leafPath(fact: FactDefinition): fc.Arbitrary<string | undefined> {
  if (fact.pathDepth) {
    return fc.oneof(
      fc.constantFrom(...ATTRS).map((a) => `$.${a}`),
      fc.constantFrom(...ATTRS).map((a) => `$.${a}.length`),
      fc.constant(undefined),
    );
  }
  return fc.oneof(
    { weight: 9, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('$.length', '$.x') },
  );
}

/** A leaf over the real catalog with any operator: wrong types included, but never what throws in the engine. */
export const leaf: fc.Arbitrary<Leaf> = fc.constantFrom(...FACTS).chain((fact) =>
  fc
    .record({
      fact: fc.constant(fact.name),
      params: params(fact),
      path: leafPath(fact),
      operator: fc.constantFrom(...OPERATOR_NAMES),
      scalarValue: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })),
      listValue: fc.array(scalar, { maxLength: 4 }),
    })
    .map(({ operator, scalarValue, listValue, path, ...rest }) => ({
      ...rest,
      ...(path ? { path } : {}),
      operator,
      value: operator === 'in' || operator === 'notIn' ? listValue : scalarValue,
    })),
);

function treeOf(leafArb: fc.Arbitrary<Leaf>): fc.Arbitrary<Condition> {
  return fc.letrec<{ node: Condition; root: Condition; all: Condition; any: Condition; not: Condition }>((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leafArb, tie('all'), tie('any'), tie('not')),
    all: fc.array(tie('node'), { maxLength: 4 }).map((all) => ({ all })),
    any: fc.array(tie('node'), { maxLength: 4 }).map((any) => ({ any })),
    not: tie('node').map((not) => ({ not })),
    root: fc.oneof(tie('all'), tie('any'), tie('not')),
  })).root;
}

/** A random condition tree whose root is all / any / not, as json-rules-engine requires. */
export const conditions: fc.Arbitrary<Condition> = treeOf(leaf);

const TYPED: Record<ValueKind, fc.Arbitrary<unknown>> = {
  boolean: fc.boolean(),
  number: fc.constantFrom(0, 1, 2, 3, 5, 14, 0.4, 0.8, 50_000, -1),
  string: fc.constantFrom(...CATEGORIES, 'baidu_sem', 'app_store', 'referral', 'u1'),
  strings: fc.constantFrom('bond-news', 'new-products', 'yield-alerts'),
  attribute: scalar,
};

/** A leaf as the checks would accept it: an operator for the fact's kind, a value of its type. */
export const typedLeaf: fc.Arbitrary<Leaf> = fc.constantFrom(...FACTS).chain((fact) => {
  const ops = OPERATORS.filter((o) => o.factKinds.includes(fact.type.kind));
  const element = fact.type.nullable ? fc.oneof(TYPED[fact.type.kind], fc.constant(null)) : TYPED[fact.type.kind];
  return fc
    .record({
      params: params(fact),
      operator: fc.constantFrom(...ops),
      scalarValue: element,
      numberValue: TYPED.number,
      listValue: fc.array(element, { minLength: 1, maxLength: 3 }),
      attribute: fc.constantFrom(...ATTRS),
    })
    .map(({ operator, scalarValue, numberValue, listValue, attribute, ...rest }) => ({
      fact: fact.name,
      ...rest,
      ...(fact.pathDepth ? { path: `$.${attribute}` } : {}),
      operator: operator.name,
      value: operator.operand === 'list' ? listValue : operator.operand === 'number' ? numberValue : scalarValue,
    }));
});

/** Trees of checked-looking leaves. */
export const typedConditions: fc.Arbitrary<Condition> = treeOf(typedLeaf);

/** The segment `inSegment` leaves refer to. */
export const HELPER: Segment = {
  id: 'helper',
  name: 'helper',
  conditions: {
    any: [
      { fact: 'hasPurchased', operator: 'equal', value: true },
      { fact: 'intentScore', operator: 'greaterThan', value: 1 },
    ],
  },
};

/** A fact context over `profiles` (the population the rank facts rank against). */
export function contextFor(profiles: readonly Profile[]): Omit<FactContext, 'inSegment'> {
  const weights = weightsInHundredths(DEFAULT_SCORING);
  const clock = { now: NOW, tz: TZ };
  const ranks = new Map<number, ScoreDistribution>();
  return {
    ...clock,
    scoring: DEFAULT_SCORING,
    weights,
    intentPercentile(days, score) {
      let d = ranks.get(days);
      if (!d) {
        d = new ScoreDistribution(profiles.map((p) => intentScore(p, days, weights, clock)));
        ranks.set(days, d);
      }
      return d.percentile(score);
    },
  };
}
