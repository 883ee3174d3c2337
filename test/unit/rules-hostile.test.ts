import { expect, test } from '@jest/globals';
import { DEFAULT_SCORING } from '../../src/domain/intent-scoring.js';
import { ValidationError } from '../../src/errors.js';
import { parseCampaign } from '../../src/rules/campaign-loader.js';
import type { CampaignRefs } from '../../src/rules/campaign-check.js';
import type { Segment } from '../../src/rules/condition.js';
import { createRuleEngine, plainPathResolver } from '../../src/rules/engine.js';
import { pathSegments } from '../../src/rules/json-path.js';
import { checkSegmentFiles } from '../../src/rules/segment-files.js';
import type { Profile } from '../../src/domain/profile.js';

/**
 * Rule files cannot execute code: no fact, operator, param, value or path in a segment or campaign
 * file makes json-rules-engine evaluate anything (jsonpath-plus filters and script expressions,
 * fact references in values, prototype walks); each is refused when the file loads.
 */
const leaf = (over: Record<string, unknown>): Record<string, unknown> => ({
  fact: 'attributes',
  path: '$.riskTolerance',
  operator: 'equal',
  value: 'low',
  ...over,
});

function segmentIssues(condition: unknown): string[] {
  const text = JSON.stringify({ id: 'hostile', name: 'Hostile', conditions: { all: [condition] } });
  return checkSegmentFiles([{ file: 'rules/segments/hostile.json', text }], DEFAULT_SCORING).issues.map(
    (i) => `${i.path}: ${i.message}`,
  );
}

const HOSTILE_PATHS = [
  '$..riskTolerance',
  '$.*',
  '$[0]',
  "$['riskTolerance']",
  '$[?(@.a)]',
  '$.a[?(@.constructor.constructor("return process")())]',
  '$.__proto__',
  '$.constructor',
  '$.prototype',
  '$.riskTolerance.toString()',
  '$',
  'riskTolerance',
  '@.riskTolerance',
  '$.a..b',
];

test.each(HOSTILE_PATHS)('path %s is refused: only plain $.name paths', (path) => {
  expect(pathSegments(path)).toBeUndefined();
  expect(segmentIssues(leaf({ path }))).toEqual([
    expect.stringMatching(/^conditions\.all\[0\]\.path: path must be a plain JSON path/) as unknown,
  ]);
});

test.each([
  ['fact __proto__', { fact: '__proto__' }, /\.fact: unknown fact "__proto__"/],
  ['fact constructor', { fact: 'constructor' }, /\.fact: unknown fact "constructor"/],
  ['fact toString', { fact: 'toString' }, /\.fact: unknown fact "toString"/],
  ['operator constructor', { operator: 'constructor' }, /\.operator: unknown operator "constructor"/],
  ['operator __proto__', { operator: '__proto__' }, /\.operator: unknown operator "__proto__"/],
  ['operator eval', { operator: 'eval' }, /\.operator: unknown operator "eval"/],
  ['a value that references another fact', { value: { fact: 'userId' } }, /\.value: value must be/],
  [
    'a list value that references a fact',
    { operator: 'in', value: [{ fact: 'userId' }] },
    /\.value\[0\]: value must be/,
  ],
  [
    'a param that references a fact',
    { fact: 'intentScore', path: undefined, operator: 'greaterThan', value: 1, params: { days: { fact: 'userId' } } },
    /\.params\.days: /,
  ],
  ['a non-string fact', { fact: { $where: '1' } }, /\.fact: fact must be a string/],
  ['an unknown key', { $where: 'sleep(1)' }, /unknown key "\$where"/],
])('%s is refused when the file loads', (_name, over, expected) => {
  const issues = segmentIssues(leaf(over));
  expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(expected) as unknown]));
});

test('a campaign file with a hostile path in its extra conditions does not load', () => {
  const refs: CampaignRefs = {
    scoring: DEFAULT_SCORING,
    segmentIds: new Set(['s']),
    products: { products: [] } as never,
  };
  const campaign = {
    id: 'c',
    name: 'C',
    segment: 's',
    schedule: { cron: '0 10 * * *', timezone: 'Asia/Shanghai' },
    channels: ['sms'],
    template: 't',
    status: 'active',
    conditions: { all: [leaf({ path: '$[?(@.x)]' })] },
  };
  let caught: unknown;
  try {
    parseCampaign(JSON.stringify(campaign), 'rules/campaigns/c.json', refs);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).issues.map((i) => i.path)).toContain('conditions.all[0].path');
});

test('the engine itself resolves only plain paths, even for a segment that skipped the loader', async () => {
  expect(plainPathResolver({ riskTolerance: 'low' }, '$.riskTolerance')).toBe('low');
  expect(() => plainPathResolver({ a: 1 }, '$[?(@.a)]')).toThrow('not a plain JSON path');
  const smuggled: Segment = {
    id: 'x',
    name: 'x',
    conditions: { all: [leaf({ path: '$..riskTolerance' })] } as Segment['conditions'],
  };
  const engine = createRuleEngine([smuggled], DEFAULT_SCORING);
  const profile = { _id: 'u1', attributes: { riskTolerance: 'low' } } as unknown as Profile;
  await expect(engine.run(profile, {} as never)).rejects.toThrow('not a plain JSON path');
});
