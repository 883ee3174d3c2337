import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import type { Io } from '../../src/cli/command.js';
import { validateCommand } from '../../src/cli/validate.js';
import { loadConfig } from '../../src/config/config.js';
import { Campaign } from '../../src/domain/campaign.js';
import { channelText } from '../../src/domain/sms-body.js';
import { SmsSignature } from '../../src/domain/sms-signature.js';
import { testConfig } from '../support/factories.js';

test.each([
  ['潮汐基金', '潮汐基金'],
  ['【潮汐基金】', '潮汐基金'],
  [' 【TF】 ', 'TF'],
  ['一二三四五六七八九十一二', '一二三四五六七八九十一二'],
])('signature %j is kept as %j', (written, name) => {
  expect(SmsSignature.parse(written)).toBe(name);
});

test.each([
  ['潮', 'a signature has 2 to 12 characters inside 【】'],
  ['【】', 'a signature has 2 to 12 characters inside 【】'],
  ['一二三四五六七八九十一二三', 'a signature has 2 to 12 characters inside 【】'],
  ['潮汐【基金', 'a signature holds no 【, 】 or line break'],
])('signature %j is refused: %s', (written, message) => {
  expect(SmsSignature.safeParse(written).error?.issues.map((i) => i.message)).toEqual([message]);
});

test('an SMS starts with the signature and ends with the opt-out; other channels are left alone', () => {
  expect(channelText('sms', '您的红包已到账', '潮汐基金')).toBe('【潮汐基金】您的红包已到账回T退订');
  expect(channelText('sms', '【潮汐基金】您的红包已到账回T退订', '潮汐基金')).toBe('【潮汐基金】您的红包已到账回T退订');
  expect(channelText('sms', '您的红包已到账')).toBe('您的红包已到账回T退订');
  expect(channelText('email', '您的红包已到账', '潮汐基金')).toBe('您的红包已到账');
});

test('TIDEFLOW_SMS_SIGNATURE and a campaign smsSignature are checked where they are read', () => {
  expect(loadConfig({ TIDEFLOW_SMS_SIGNATURE: '【潮汐基金】' }).TIDEFLOW_SMS_SIGNATURE).toBe('潮汐基金');
  expect(() => loadConfig({ TIDEFLOW_SMS_SIGNATURE: '潮' })).toThrow(/TIDEFLOW_SMS_SIGNATURE/);
  const shipped = JSON.parse(readFileSync('rules/campaigns/first-purchase.json', 'utf8')) as Record<string, unknown>;
  const bad = Campaign.safeParse({ ...shipped, smsSignature: 'x' });
  expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['smsSignature']);
});

test('validate reports an SMS campaign without a signature at smsSignature, unless one is configured', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tideflow-signature-'));
  mkdirSync(join(dir, 'campaigns'), { recursive: true });
  cpSync('rules/segments', join(dir, 'segments'), { recursive: true });
  cpSync('rules/scoring.json', join(dir, 'scoring.json'));
  cpSync('rules/products.json', join(dir, 'products.json'));
  const { smsSignature: _drop, ...unsigned } = JSON.parse(
    readFileSync('rules/campaigns/first-purchase.json', 'utf8'),
  ) as Record<string, unknown>;
  writeFileSync(join(dir, 'campaigns', 'first-purchase.json'), JSON.stringify(unsigned));
  const run = async (env: Record<string, string>): Promise<{ code: number; err: string[] }> => {
    const err: string[] = [];
    const io: Io = { out: () => undefined, err: (l) => err.push(l) };
    return { code: await validateCommand.run(['--rules', dir], testConfig(env), io), err };
  };
  const missing = await run({});
  expect(missing.code).toBe(1);
  expect(missing.err[0]).toBe(
    `${join(dir, 'campaigns', 'first-purchase.json')}: smsSignature: a campaign that sends SMS needs the sender's signature in 【】 (2 to 12 characters) (set "smsSignature" here or TIDEFLOW_SMS_SIGNATURE in the environment)`,
  );
  expect(await run({ TIDEFLOW_SMS_SIGNATURE: '潮汐基金' })).toMatchObject({ code: 0 });
});
