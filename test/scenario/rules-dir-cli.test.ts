import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from '../../src/store/connection.js';
import { testUri } from '../support/test-db.js';
import { tideflow } from '../support/cli.js';

let dir: string;
const dbName = `t_rulesdir_${randomBytes(4).toString('hex')}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tideflow-rulesdir-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const db = await connect(testUri(), dbName);
  await db.dropDatabase();
  await db.close();
});

/** A copy of the shipped rules in a folder of its own, with `edit` applied to some of its files. */
function rulesCopy(name: string, edit: Record<string, (text: string) => string> = {}): string {
  const copy = join(dir, name);
  cpSync('rules', copy, { recursive: true });
  for (const [file, change] of Object.entries(edit)) {
    const path = join(copy, file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
  }
  return copy;
}

test('a typo inside a segment is reported in that segment, and its campaigns say it failed to load', async () => {
  const rules = rulesCopy('typo', {
    'segments/new-with-intent.json': (t) => t.replace('"intentScore"', '"intentScor"'),
  });
  const run = await tideflow(['validate', '--rules', rules], {});
  expect(run.code).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  const segmentFile = join(rules, 'segments', 'new-with-intent.json');
  expect(lines.filter((l) => l.startsWith(`${segmentFile}: `))).toEqual([
    expect.stringContaining('conditions.all[1].fact: unknown fact "intentScor"') as string,
  ]);
  expect(lines.filter((l) => l.startsWith(join(rules, 'campaigns')))).toEqual([
    `${join(rules, 'campaigns', 'first-purchase.json')}: segment: segment "new-with-intent" failed to load (see the errors of ${segmentFile})`,
  ]);
  expect(run.stderr).not.toContain('does not exist');
});

test('a segment file that is not even JSON is reported by its name in the campaigns that use it', async () => {
  const rules = rulesCopy('syntax', { 'segments/strong-intent.json': (t) => t.replace('{', '{,') });
  const run = await tideflow(['validate', '--rules', rules], {});
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    `segment: segment "strong-intent" failed to load (see the errors of ${join(rules, 'segments', 'strong-intent.json')})`,
  );
  expect(run.stderr).not.toContain('does not exist');
});

test('a segment that really does not exist is still reported as such, with the closest id', async () => {
  const rules = rulesCopy('missing', {
    'campaigns/first-purchase.json': (t) => t.replace('"new-with-intent"', '"new-with-intnet"'),
  });
  const run = await tideflow(['validate', '--rules', rules], {});
  expect(run.stderr).toContain(
    'segment: segment "new-with-intnet" is referenced but does not exist (did you mean "new-with-intent"?)',
  );
});

test('messages name the files of TIDEFLOW_RULES_DIR, not ./rules', async () => {
  const rules = rulesCopy('elsewhere', {
    'campaigns/weekly-picks.json': (t) => t.replace('"product": {}', '"product": { "id": "nope-fund" }'),
  });
  const validated = await tideflow(['validate', '--rules', rules], {});
  expect(validated.stderr).toContain(
    `${join(rules, 'campaigns', 'weekly-picks.json')}: product.id: unknown product "nope-fund" (not in ${join(rules, 'products.json')})`,
  );
  const good = rulesCopy('good');
  const env = { MONGODB_URI: testUri(), TIDEFLOW_DB: dbName, TIDEFLOW_RULES_DIR: good };
  const simulated = await tideflow(['simulate', 'nope', '--now', '2026-11-20T10:00:00+08:00'], env);
  expect(simulated.code).toBe(1);
  expect(simulated.stderr).toContain(`no campaign 'nope' (no file ${join(good, 'campaigns', 'nope.json')})`);
  expect(simulated.stderr).not.toContain('rules/campaigns');
});
