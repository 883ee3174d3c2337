import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { auditRulesLoaded } from '../../src/wiring/access.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import type { Db } from '../../src/store/connection.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { fixedClock, testConfig } from '../support/factories.js';

let db: Db;
let tf: Tideflow;

beforeAll(async () => {
  db = await openTestDatabase('audit_rules');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock() });
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

test('a starting process records every rule and template file it runs with, by SHA-256', async () => {
  await auditRulesLoaded(tf, 'serve');
  const [entry] = await tf.access.audit.list({ limit: 1 });
  expect(entry).toMatchObject({
    action: 'rules.load',
    actor: expect.stringMatching(/^cli:/) as string,
    detail: { process: 'serve', pid: process.pid },
  });
  const files = (entry?.detail?.files ?? []) as { file: string; sha256: string }[];
  const scoring = createHash('sha256')
    .update(await readFile('rules/scoring.json'))
    .digest('hex');
  expect(files).toContainEqual({ file: 'rules/scoring.json', sha256: scoring });
  expect(files.map((f) => f.file)).toEqual(
    expect.arrayContaining([
      'rules/segments/strong-intent.json',
      'rules/campaigns/first-purchase.json',
      'rules/products.json',
      'templates/first-purchase.email.txt',
    ]),
  );
  expect(files.map((f) => f.file)).toEqual([...files.map((f) => f.file)].sort((a, b) => a.localeCompare(b)));
});
