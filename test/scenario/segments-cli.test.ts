import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Io } from '../../src/cli/command.js';
import { explainCommand } from '../../src/cli/explain.js';
import { segmentCommand } from '../../src/cli/segment.js';
import { validateCommand } from '../../src/cli/validate.js';
import type { Config } from '../../src/config/config.js';
import { ingest } from '../../src/ingest/ingest.js';
import { openTideflow } from '../../src/main.js';
import { connect } from '../../src/store/connection.js';
import { testUri } from '../support/test-db.js';
import { anEvent, testConfig } from '../support/factories.js';

const NOW = '2026-11-20T10:00:00+08:00';
let config: Config;
let scratch: string;

async function run(command: Command, args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  return { code: await command.run(args, config, io), out, err };
}

beforeAll(async () => {
  config = testConfig({ TIDEFLOW_DB: `t_segcli_${process.pid}` });
  scratch = mkdtempSync(join(tmpdir(), 'tideflow-segcli-'));
  const tf = await openTideflow(config);
  const e = (userId: string, type: string, ts: string, extra = {}) => anEvent({ userId, type, ts, ...extra });
  await ingest(tf.ingest, [
    e('ann', 'purchase', '2026-10-01T12:00:00+08:00', { amount: 5000 }),
    e('ann', 'redeem', '2026-11-10T12:00:00+08:00', { amount: 5100 }),
    ...Array.from({ length: 4 }, () => e('ann', 'click_submit', '2026-11-19T12:00:00+08:00')),
    e('ann', 'view_product_detail', '2026-11-19T12:00:00+08:00', { category: 'bond', durationSec: 200 }),
    e('bob', 'purchase', '2026-10-01T12:00:00+08:00', { amount: 5000 }),
    e('bob', 'redeem', '2026-11-10T12:00:00+08:00', { amount: 5100 }),
    e('bob', 'view_product_detail', '2026-11-19T12:00:00+08:00', { category: 'stock', durationSec: 200 }),
    e('cat', 'register', '2026-11-19T12:00:00+08:00'),
  ]);
  await tf.close();
});
afterAll(async () => {
  const db = await connect(testUri(), config.TIDEFLOW_DB);
  await db.dropDatabase();
  await db.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('tideflow segment prints the count, what each condition admits, and the members', async () => {
  const { code, out } = await run(segmentCommand, ['old-redeemed-strong-intent-bond', '--now', NOW, '--members']);
  expect(code).toBe(0);
  expect(out).toEqual([
    'old-redeemed-strong-intent-bond  老客 · 资金已赎回 · 强购买意愿 · 偏好债券',
    'at 2026-11-20 10:00 +08:00: 1 member of 3 profiles',
    '',
    '   admits  condition',
    '        2  all[0]     hasPurchased equal true',
    '        2  all[1]     fundsRedeemed equal true',
    '        1  all[2]     intentScore(days=14) greaterThan 5',
    '        1  all[3]     categoryShare(category=bond, days=30) greaterThan 0.4',
    '',
    '     left  after each condition in turn',
    '        3  profiles',
    '        2  all[0]     hasPurchased equal true',
    '        2  all[1]     fundsRedeemed equal true',
    '        1  all[2]     intentScore(days=14) greaterThan 5',
    '        1  all[3]     categoryShare(category=bond, days=30) greaterThan 0.4',
    '',
    'ann',
  ]);
});

test('the waterfall shows which condition empties a segment, with any and not groups nested', async () => {
  const file = join(scratch, 'old-active-not-redeemed.json');
  writeFileSync(
    file,
    JSON.stringify({
      id: 'old-active-not-redeemed',
      name: 'old, active, not redeemed',
      conditions: {
        all: [
          { fact: 'hasPurchased', operator: 'equal', value: true },
          {
            any: [
              { fact: 'intentScore', params: { days: 14 }, operator: 'greaterThan', value: 5 },
              { fact: 'categoryShare', params: { category: 'stock', days: 30 }, operator: 'greaterThan', value: 0.4 },
            ],
          },
          { not: { fact: 'fundsRedeemed', operator: 'equal', value: true } },
        ],
      },
    }),
  );
  const { code, out } = await run(segmentCommand, [file, '--now', NOW]);
  expect(code).toBe(0);
  expect(out.slice(out.indexOf('     left  after each condition in turn'))).toEqual([
    '     left  after each condition in turn',
    '        3  profiles',
    '        2  all[0]     hasPurchased equal true',
    '        2  all[1]     any of 2 (each below: of the 2 reaching it)',
    '            1  all[1].any[0] intentScore(days=14) greaterThan 5',
    '            1  all[1].any[1] categoryShare(category=stock, days=30) greaterThan 0.4',
    '        0  all[2]     not (each below: of the 2 reaching it)',
    '            2  all[2].not fundsRedeemed equal true',
  ]);
  const json = JSON.parse((await run(segmentCommand, [file, '--now', NOW, '--json'])).out.join('\n')) as {
    count: number;
    waterfall: { population: number; steps: { at: string; passed: number; steps?: { passed: number }[] }[] };
  };
  expect(json.count).toBe(0);
  expect(json.waterfall.population).toBe(3);
  expect(json.waterfall.steps.map((s) => [s.at, s.passed])).toEqual([
    ['conditions.all[0]', 2],
    ['conditions.all[1]', 2],
    ['conditions.all[2]', 0],
  ]);
  expect(json.waterfall.steps[2]?.steps?.map((s) => s.passed)).toEqual([2]);
});

test('tideflow segment --json, and an ad-hoc segment file checked against the rule set', async () => {
  const file = join(scratch, 'redeemed-not-bond.json');
  writeFileSync(
    file,
    JSON.stringify({
      id: 'redeemed-not-bond',
      name: 'redeemed, not bond',
      conditions: {
        all: [
          { fact: 'inSegment', params: { segment: 'redeemed-strong-intent' }, operator: 'equal', value: false },
          { fact: 'fundsRedeemed', operator: 'equal', value: true },
        ],
      },
    }),
  );
  const { code, out } = await run(segmentCommand, [file, '--now', NOW, '--members', '--json']);
  expect(code).toBe(0);
  expect(JSON.parse(out.join('\n'))).toMatchObject({
    segment: 'redeemed-not-bond',
    count: 1,
    members: ['bob'],
    population: 3,
  });
  writeFileSync(
    file,
    JSON.stringify({
      id: 'x',
      name: 'x',
      conditions: { all: [{ fact: 'inSegment', params: { segment: 'prefers-bnd' }, operator: 'equal', value: true }] },
    }),
  );
  await expect(run(segmentCommand, [file, '--now', NOW])).rejects.toThrow('is invalid');
});

test('tideflow explain shows each leaf with the value seen', async () => {
  const { code, out } = await run(explainCommand, [
    'bob',
    '--segment',
    'old-redeemed-strong-intent-bond',
    '--now',
    NOW,
  ]);
  expect(code).toBe(0);
  expect(out).toEqual([
    'user bob at 2026-11-20 10:00 +08:00',
    '',
    'OUT  old-redeemed-strong-intent-bond  老客 · 资金已赎回 · 强购买意愿 · 偏好债券',
    '     pass  hasPurchased equal true  (seen true)',
    '     pass  fundsRedeemed equal true  (seen true)',
    '     fail  intentScore(days=14) greaterThan 5  (seen 0.2)',
    '     fail  categoryShare(category=bond, days=30) greaterThan 0.4  (seen 0)',
  ]);
  await expect(run(explainCommand, ['nobody', '--now', NOW])).rejects.toThrow('no profile for user "nobody"');
});

test('tideflow validate exits 1 listing each problem, and writes the schema when asked', async () => {
  const broken = await run(validateCommand, ['--rules', 'test/fixtures/rules-broken/scoring-schema']);
  expect(broken.code).toBe(1);
  expect(broken.err[0]).toBe(
    'test/fixtures/rules-broken/scoring-schema/scoring.json: intent.weights.app_open: weights have at most two decimals (e.g. 0.05)',
  );
  writeFileSync(join(scratch, 'scoring.json'), readFileSync('rules/scoring.json'));
  const ok = await run(validateCommand, ['--rules', scratch, '--write-schema']);
  expect(ok.code).toBe(0);
  expect(readFileSync(join(scratch, 'schema', 'segment.schema.json'), 'utf8')).toBe(
    readFileSync('rules/schema/segment.schema.json', 'utf8'),
  );
});

test('tideflow validate checks campaign files against the segments, with hints', async () => {
  const dir = join(scratch, 'with-campaign');
  mkdirSync(join(dir, 'campaigns'), { recursive: true });
  cpSync('rules/segments', join(dir, 'segments'), { recursive: true });
  cpSync('rules/products.json', join(dir, 'products.json'));
  const campaign = JSON.parse(readFileSync('rules/campaigns/weekly-picks.json', 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'campaigns', 'weekly-picks.json'), JSON.stringify({ ...campaign, segment: 'strong-intnt' }));
  const { code, err } = await run(validateCommand, ['--rules', dir]);
  expect(code).toBe(1);
  expect(err[0]).toBe(
    `${join(dir, 'campaigns', 'weekly-picks.json')}: segment: segment "strong-intnt" is referenced but does not exist (did you mean "strong-intent"?)`,
  );
});
