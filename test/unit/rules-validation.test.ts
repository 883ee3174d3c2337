import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCORING } from '../../src/domain/intent-scoring.js';
import { formatIssues, ValidationError } from '../../src/errors.js';
import { closestName } from '../../src/rules/closest-name.js';
import { checkRuleDir, loadRuleSet, readSegmentSources } from '../../src/rules/rule-set.js';
import { checkSegmentFiles } from '../../src/rules/segment-files.js';

const BROKEN = 'test/fixtures/rules-broken';

/** The formatted problems of one broken segment file, checked together with the shipped segments. */
async function problemsOf(name: string): Promise<string[]> {
  const file = join(BROKEN, 'segments', name);
  const shipped = await readSegmentSources('rules');
  const { issues } = checkSegmentFiles([...shipped, { file, text: readFileSync(file, 'utf8') }], DEFAULT_SCORING);
  return formatIssues(new ValidationError('invalid', issues)).split('\n');
}

test('every shipped rule file validates', async () => {
  const { issues, checked } = await checkRuleDir('rules');
  expect(issues).toEqual([]);
  expect(checked.segments).toBeGreaterThanOrEqual(13);
  const rules = await loadRuleSet('rules');
  expect(rules.segments.get('old-redeemed-strong-intent-bond')?.conditions).toEqual({
    all: [
      { fact: 'hasPurchased', operator: 'equal', value: true },
      { fact: 'fundsRedeemed', operator: 'equal', value: true },
      { fact: 'intentScore', params: { days: 14 }, operator: 'greaterThan', value: 5 },
      { fact: 'categoryShare', params: { category: 'bond', days: 30 }, operator: 'greaterThan', value: 0.4 },
    ],
  });
});

const S = `${BROKEN}/segments`;

const CASES: [string, string][] = [
  [
    'json-syntax.json',
    `${S}/json-syntax.json: (root): invalid JSON: line 3, column 3: unexpected "\\"", expected "," or "}"`,
  ],
  [
    'unknown-fact.json',
    `${S}/unknown-fact.json: conditions.all[1].fact: unknown fact "intentScor" (did you mean "intentScore"?)`,
  ],
  [
    'unknown-operator.json',
    `${S}/unknown-operator.json: conditions.all[0].operator: unknown operator "greaterThen" (did you mean "greaterThan"?)`,
  ],
  [
    'unknown-param.json',
    `${S}/unknown-param.json: conditions.all[0].params.day: unknown param "day" (params of intentScore: days) (did you mean "days"?)`,
  ],
  [
    'unknown-param-value.json',
    `${S}/unknown-param-value.json: conditions.all[0].params.category: unknown category "bonds" (known: bond, stock, money, index, mixed) (did you mean "bond"?)`,
  ],
  [
    'event-type-typo.json',
    `${S}/event-type-typo.json: conditions.all[0].params.type: unknown event type "click_submt" (did you mean "click_submit"?)`,
  ],
  [
    'missing-param.json',
    `${S}/missing-param.json: conditions.all[0].params: eventCount needs param "days" (integer number of days, 1 to scoring \`retentionDays\`)`,
  ],
  [
    'days-over-retention.json',
    `${S}/days-over-retention.json: conditions.all[0].params.days: days must be an integer from 1 to 90 (retentionDays in scoring.json)`,
  ],
  [
    'wrong-value-type.json',
    `${S}/wrong-value-type.json: conditions.all[0].value: value must be true or false, got "yes"`,
  ],
  [
    'numeric-operator-text-value.json',
    `${S}/numeric-operator-text-value.json: conditions.all[0].value: greaterThanInclusive compares numbers: value must be a number, got "50000"`,
  ],
  [
    'unknown-category-value.json',
    `${S}/unknown-category-value.json: conditions.all[0].value[1]: value must be one of "bond", "stock", "money", "index", "mixed" or null, got "stok" (did you mean "stock"?)`,
  ],
  [
    'operator-not-applicable.json',
    `${S}/operator-not-applicable.json: conditions.all[0].operator: operator "greaterThan" does not apply to topics (strings); use one of: contains, doesNotContain`,
  ],
  [
    'duplicate-id.json',
    `${S}/duplicate-id.json: id: duplicate segment id "prefers-bond": also defined in rules/segments/prefers-bond.json`,
  ],
  [
    'missing-segment.json',
    `${S}/missing-segment.json: conditions.all[0].params.segment: segment "prefers-bnd" is referenced but does not exist (did you mean "prefers-bond"?)`,
  ],
  [
    'reference-cycle.json',
    `${S}/reference-cycle.json: conditions.all[0].params.segment: segment "reference-cycle" refers back to itself through "reference-cycle"`,
  ],
  [
    'condition-reference.json',
    `${S}/condition-reference.json: conditions.all[0].condition: condition references are not supported: use { "fact": "inSegment", "params": { "segment": "<id>" }, "operator": "equal", "value": true }`,
  ],
  [
    'leaf-root.json',
    `${S}/leaf-root.json: conditions: the root of conditions is "all", "any" or "not" (json-rules-engine): wrap the leaf in { "all": [...] }`,
  ],
  ['not-list.json', `${S}/not-list.json: conditions.not: "not" takes one condition, not a list`],
  [
    'empty-any.json',
    `${S}/empty-any.json: conditions.all[0].any: an empty "any" passes for every profile (json-rules-engine semantics): add conditions or remove it`,
  ],
  [
    'bad-path.json',
    `${S}/bad-path.json: conditions.all[0].path: path must be a plain JSON path "$.name" (letters, digits, _; no filters or wildcards)`,
  ],
];

test.each(CASES)('%s yields its specific message with file and JSON path', async (name, expected) => {
  expect(await problemsOf(name)).toEqual([expected]);
});

test('an unknown top-level key is named, with the key it resembles', async () => {
  expect(await problemsOf('unknown-key.json')).toEqual([
    `${S}/unknown-key.json: conditions: "conditions" is required`,
    `${S}/unknown-key.json: conditons: unknown key "conditons" (allowed: id, name, description, conditions, $schema) (did you mean "conditions"?)`,
  ]);
});

test('every broken segment fixture is asserted above', () => {
  const names = readdirSync(join(BROKEN, 'segments')).sort();
  expect(names).toEqual([...CASES.map(([n]) => n), 'unknown-key.json'].sort());
});

test.each([
  [
    'scoring-syntax',
    `${BROKEN}/scoring-syntax/scoring.json: (root): invalid JSON: line 4, column 36: trailing comma before "}"`,
  ],
  [
    'scoring-schema',
    `${BROKEN}/scoring-schema/scoring.json: intent.weights.app_open: weights have at most two decimals (e.g. 0.05)`,
  ],
])('a broken %s file is reported with file and path', async (dir, expected) => {
  const { issues } = await checkRuleDir(join(BROKEN, dir));
  expect(formatIssues(new ValidationError('invalid', issues))).toBe(expected);
  await expect(loadRuleSet(join(BROKEN, dir))).rejects.toThrow(ValidationError);
});

test('hints only name plausible typos', () => {
  expect(closestName('intentscore', ['intentScore', 'eventCount'])).toBe('intentScore');
  expect(closestName('hasPurchasd', ['purchaseCount', 'hasPurchased'])).toBe('hasPurchased');
  expect(closestName('amount', ['purchaseCount', 'hasPurchased'])).toBeUndefined();
  expect(closestName('zzz', ['equal', 'in'])).toBeUndefined();
});
