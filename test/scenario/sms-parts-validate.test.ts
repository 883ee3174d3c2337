// validate renders each SMS campaign's message for sample users, as the sender would, and reports
// one that takes more parts than the campaign allows (maxSmsParts, default 2).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/cli/command.js';
import { validateCommand } from '../../src/cli/validate.js';
import { testConfig } from '../support/factories.js';

const dir = mkdtempSync(join(tmpdir(), 'tideflow-sms-parts-'));
mkdirSync(join(dir, 'campaigns'), { recursive: true });
cpSync('rules/segments', join(dir, 'segments'), { recursive: true });
cpSync('rules/scoring.json', join(dir, 'scoring.json'));
cpSync('rules/products.json', join(dir, 'products.json'));
const shipped = JSON.parse(readFileSync('rules/campaigns/first-purchase.json', 'utf8')) as Record<string, unknown>;
const file = join(dir, 'campaigns', 'first-purchase.json');

async function validate(campaign: Record<string, unknown>): Promise<{ code: number; err: string[] }> {
  writeFileSync(file, JSON.stringify(campaign));
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (l) => err.push(l) };
  return { code: await validateCommand.run(['--rules', dir], testConfig(), io), err };
}

test('an SMS longer than maxSmsParts (default 2) for a sample user is an error at template, with its parts', async () => {
  const { maxSmsParts: _drop, ...unset } = shipped;
  const long = await validate(unset);
  expect(long.code).toBe(1);
  expect(long.err[0]).toMatch(
    new RegExp(
      `^${file}: template: templates/first-purchase\\.sms\\.txt renders to [3-9] SMS parts \\(\\d+ characters, UCS-2\\) for a sample user offered \\S+, more than maxSmsParts \\(2\\) \\(shorten the text, or raise "maxSmsParts" if the cost is meant\\)$`,
    ),
  );
  const parts = Number(/renders to (\d) SMS parts/.exec(long.err[0] ?? '')?.[1]);
  expect(await validate({ ...shipped, maxSmsParts: parts })).toMatchObject({ code: 0 });
  expect((await validate({ ...shipped, maxSmsParts: parts - 1 })).err[0]).toContain(
    `more than maxSmsParts (${parts - 1})`,
  );
});

test('a tiered incentive is sampled at its top tier, so its SMS is checked too', async () => {
  const tiered = JSON.parse(readFileSync('rules/campaigns/growth-first-purchase.json', 'utf8')) as Record<
    string,
    unknown
  >;
  const tieredFile = join(dir, 'campaigns', 'growth-first-purchase.json');
  writeFileSync(tieredFile, JSON.stringify({ ...tiered, maxSmsParts: 1 }));
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (l) => err.push(l) };
  expect(await validateCommand.run(['--rules', dir], testConfig(), io)).toBe(1);
  expect(err.join('\n')).toContain(`${tieredFile}: template: templates/growth-first-purchase.sms.txt renders to`);
  rmSync(tieredFile);
});

test('a short SMS passes; a campaign without SMS is not rendered', async () => {
  expect(await validate({ ...shipped, maxSmsParts: 10 })).toMatchObject({ code: 0 });
  const { maxSmsParts: _m, smsSignature: _s, ...rest } = shipped;
  expect(await validate({ ...rest, channels: ['push', 'email'] })).toMatchObject({ code: 0 });
});
