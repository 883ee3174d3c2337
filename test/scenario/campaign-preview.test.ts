// What an operator previews is what the user gets: `preview` and `simulate`'s samples render with
// the function the outbox sends with, compared byte for byte with what reached the SMS receiver.
import type { Command, Io } from '../../src/cli/command.js';
import { previewCommand } from '../../src/cli/preview.js';
import type { Config } from '../../src/config/config.js';
import type { EventInput } from '../../src/domain/event.js';
import { inHoldout } from '../../src/domain/holdout.js';
import { smsLength } from '../../src/domain/sms-length.js';
import { NotFoundError, ValidationError } from '../../src/errors.js';
import { previewMessage } from '../../src/deliver/preview.js';
import { runNow } from '../../src/deliver/run-now.js';
import { simulateCampaign } from '../../src/deliver/simulate-campaign.js';
import { openWorld, seedUsers, type World } from '../support/campaign-world.js';
import { testConfig } from '../support/factories.js';

const NOW = '2026-11-20T10:00:00+08:00';
const submits: Partial<EventInput>[] = Array.from({ length: 4 }, (_, i) => ({
  type: 'click_submit',
  ts: `2026-11-18T1${i}:00:00+08:00`,
}));
const outside = (prefix: string): string => {
  const id = Array.from({ length: 40 }, (_, i) => `${prefix}${i}`).find((u) => !inHoldout('first-purchase', u, 10));
  if (!id) throw new Error('no user outside the holdout');
  return id;
};
const BUYER = outside('buyer-');
const MUTE = outside('mute-');

let w: World;
let config: Config;
let secret: Record<string, string>;

async function run(command: Command, args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l) };
  return { code: await command.run(args, config, io), out: out.join('\n') };
}

beforeAll(async () => {
  // One link secret for the world and the command's own process, as a deployment sets it.
  secret = { TIDEFLOW_LINK_SECRET: 'preview-test-secret-of-32-characters!' };
  w = await openWorld({ label: 'campaign_preview', env: secret });
  config = testConfig({ ...w.receivers.env, ...secret, TIDEFLOW_DB: w.db.name });
  await seedUsers(w, [
    { id: BUYER, consent: ['sms'], events: submits },
    { id: MUTE, consent: [], events: submits },
  ]);
});
afterAll(async () => {
  await w.close();
});

test('preview and the simulated sample equal the SMS the receiver got, byte for byte, opt-out included', async () => {
  const preview = await previewMessage(w.rt.simulate, 'first-purchase', BUYER, { now: new Date(NOW) });
  const dry = await simulateCampaign(w.rt.simulate, 'first-purchase', { now: new Date(NOW) });
  await runNow(w.rt, 'first-purchase');
  const received = w.receivers.sms.received.filter((m) => m.to === preview.message?.to);
  expect(received).toHaveLength(1);
  const body = received[0]?.body ?? '';
  expect(body.endsWith('投资需谨慎回T退订')).toBe(true);
  expect(body.startsWith('【潮汐基金】')).toBe(true);
  expect(preview.message?.text).toBe(body);
  expect(dry.samples.find((s) => s.userId === BUYER)?.message?.text).toBe(body);
  expect(preview.sms).toEqual(smsLength(body));
  expect(preview.sms).toMatchObject({ encoding: 'UCS-2' });
  expect(dry.samples.find((s) => s.userId === BUYER)?.sms).toEqual(smsLength(body));
  expect(preview).toMatchObject({
    deliveryId: `first-purchase~run-2026-11-20T02:00:00.000Z~${BUYER}`,
    inAudience: true,
    decision: { kind: 'send', channel: 'sms' },
    channel: 'sms',
  });
  expect(preview.gates.map((g) => [g.gate, g.outcome])).toEqual([
    ['status', 'pass'],
    ['trigger', 'pass'],
    ['holdout', 'pass'],
    ['channel', 'pass'],
    ['quiet-hours', 'pass'],
    ['history', 'pass'],
    ['incentive', 'pass'],
    ['budget', 'pass'],
    ['product', 'pass'],
  ]);
});

test("after the run, the buyer's preview names the cooldown; a user without consent fails the channel gate", async () => {
  const later = new Date('2026-11-21T10:00:00+08:00');
  const again = await previewMessage(w.rt.simulate, 'first-purchase', BUYER, { now: later });
  expect(again.decision).toMatchObject({ kind: 'skip', reason: 'cooldown' });
  expect(again.gates.find((g) => g.outcome === 'fail')).toMatchObject({ gate: 'history', reason: 'cooldown' });
  expect(again.message?.text).toContain('回T退订');

  const mute = await previewMessage(w.rt.simulate, 'first-purchase', MUTE, { now: new Date(NOW), channel: 'push' });
  expect(mute.decision).toMatchObject({ kind: 'skip', reason: 'no-consent' });
  expect(mute.gates.filter((g) => g.outcome !== 'pass').map((g) => [g.gate, g.outcome])).toEqual([
    ['channel', 'fail'],
    ['quiet-hours', 'not-reached'],
    ['history', 'not-reached'],
    ['incentive', 'not-reached'],
    ['budget', 'not-reached'],
    ['product', 'not-reached'],
  ]);
  expect(mute).toMatchObject({ channel: 'push', message: { to: `push-token-${MUTE}` } });
  expect(mute.sms).toBeUndefined();
});

test('tideflow preview prints the gates, the SMS length and parts, and the message as sent', async () => {
  const { code, out } = await run(previewCommand, ['first-purchase', BUYER, '--now', NOW, '--channel', 'sms']);
  expect(code).toBe(0);
  const expected = await previewMessage(w.rt.simulate, 'first-purchase', BUYER, { now: new Date(NOW) });
  const body = expected.message?.text ?? '?';
  // Times in TIDEFLOW_TZ (Asia/Shanghai); the delivery key as the ledger keeps it.
  expect(out).toContain(
    `first-purchase → ${BUYER} at 2026-11-20 10:00 +08:00  (delivery first-purchase~run-2026-11-20T02:00:00.000Z~${BUYER})`,
  );
  expect(out).not.toMatch(/gates[\s\S]*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/);
  expect(out).toMatch(/ {4}pass {8}holdout {5}not in the 10% control group/);
  expect(out).toContain(`: SMS UCS-2, ${smsLength(body).length} characters, ${smsLength(body).parts} part`);
  expect(out.slice(out.lastIndexOf('\n\n') + 2)).toBe(body);
  const json = JSON.parse((await run(previewCommand, ['first-purchase', BUYER, '--now', NOW, '--json'])).out) as {
    message: { text: string };
  };
  expect(json.message.text).toBe(body);
  await expect(run(previewCommand, ['first-purchase', 'nobody', '--now', NOW])).rejects.toThrow(NotFoundError);
  await expect(run(previewCommand, ['first-purchase', BUYER, '--channel', 'fax'])).rejects.toThrow(ValidationError);
  await expect(run(previewCommand, ['weekly-picks', BUYER, '--channel', 'sms', '--now', NOW])).rejects.toMatchObject({
    issues: [{ path: 'channel', message: 'campaign weekly-picks sends on push, email, not sms' }],
  });
  const email = await run(previewCommand, ['first-purchase', BUYER, '--channel', 'email', '--now', NOW]);
  expect(email.out).toContain(`email to ${BUYER}@example.com`);
  expect(email.out).toContain('subject: ');
});

test('preview needs no provider: with none configured it decides as if every listed channel were, and says so', async () => {
  const bare = testConfig({ ...secret, TIDEFLOW_DB: w.db.name });
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l) };
  expect(await previewCommand.run(['first-purchase', MUTE, '--now', NOW, '--channel', 'sms'], bare, io)).toBe(0);
  expect(out).toContain('  note       not configured here: sms, push, email (decided as if every listed channel were)');
  expect(out).toContain('  decision   skip: no-consent (sms: no-consent, push: no-consent, email: no-consent)');
  expect(out[out.length - 1]).toMatch(/投资需谨慎回T退订$/);
});
