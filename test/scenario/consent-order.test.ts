// Consent is ordered by time on every path that writes it: a change older than the one stored
// never replaces it, and at the same instant an opt-out outranks a grant. The paths: PUT
// /v1/profiles/:id, `tideflow import profiles`, an SMS reply, the unsubscribe link, an email
// provider's complaint; and suppression entries, which follow the same order.
import type { RequestListener } from 'node:http';
import { createApp } from '../../src/api/app.js';
import { providerSignature, type ProviderEvent } from '../../src/domain/provider-report.js';
import { importNdjson, profileImport } from '../../src/ingest/import-ndjson.js';
import { runNow } from '../../src/deliver/run-now.js';
import { simulateCampaign } from '../../src/deliver/simulate-campaign.js';
import { twilioSignature } from '../../src/receivers/sms-receiver.js';
import { profilesCollection } from '../../src/store/collections.js';
import { createOutcomeStore, outcomesCollection } from '../../src/store/outcomes.js';
import { apiKey } from '../support/api-key.js';
import { openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';
import { NOW } from '../support/factories.js';
import { lateServer, send, type LateServer } from '../support/http.js';

const EMAIL_SECRET = 'email-webhook-secret-0123456789';
const DAY = 86_400_000;

let server: LateServer;
let w: World;
let ingestKey: string;

beforeAll(async () => {
  server = await lateServer();
  w = await openWorld({
    label: 'consent_order',
    campaigns: [
      testCampaign({ id: 'sms-picks', channels: ['sms'] }),
      testCampaign({ id: 'mail-picks', channels: ['email'], priority: 5 }),
      testCampaign({
        id: 'bond-news',
        channels: ['email'],
        priority: 9,
        conditions: { all: [{ fact: 'topics', operator: 'contains', value: 'bond_picks' }] },
      }),
    ],
    env: {
      TIDEFLOW_PUBLIC_URL: server.url,
      TIDEFLOW_LINK_SECRET: 'k'.repeat(40),
      TIDEFLOW_EMAIL_WEBHOOK_SECRET: EMAIL_SECRET,
    },
  });
  server.handle(
    createApp({ ...w.tf, outcomes: w.tf.outcomes }, { report: () => undefined }) as unknown as RequestListener,
  );
  ingestKey = await apiKey(w.db, 'ingest');
  await seedUsers(w, [
    { id: 'ann', consent: ['sms'] },
    { id: 'ian', consent: ['email'] },
    { id: 'cat', consent: ['email'] },
    { id: 'ray', consent: ['sms'] },
    { id: 'tia', consent: ['email'] },
  ]);
  await runNow(w.rt, 'mail-picks');
});
afterAll(async () => {
  await w.close();
  await server.close();
});

const ago = (days: number): string => new Date(w.clock().getTime() - days * DAY).toISOString();
const consentOf = async (userId: string, channel: 'sms' | 'email') =>
  (await w.tf.profiles.get(userId))?.consent?.[channel];
const put = (userId: string, body: unknown) => send(`${server.url}/v1/profiles/${userId}`, 'PUT', body, ingestKey);
const deliveryOf = async (campaignId: string, userId: string) =>
  (await outcomesCollection(w.db).findOne({ campaignId, userId }))!;

async function replyTd(userId: string): Promise<void> {
  const url = `${server.url}/v1/webhooks/twilio/inbound`;
  const phone = (await w.tf.profiles.get(userId))?.phone as string;
  const reply = { MessageSid: `SM-${userId}`, From: phone, To: '+8610690000', Body: 'TD' };
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(w.receivers.sms.authToken, url, reply),
    },
    body: new URLSearchParams(reply).toString(),
  });
  expect(res.status).toBe(200);
}

async function* lines(...records: unknown[]): AsyncGenerator<string> {
  yield records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

test('a reply TD, then a PUT with an older grant: still opted out, and simulate plans no SMS to them', async () => {
  await replyTd('ann');
  const old = { granted: true, at: ago(4), source: 'signup' };
  expect(await put('ann', { consent: { sms: old } })).toEqual({ status: 200, body: { userId: 'ann', created: false } });
  expect(await consentOf('ann', 'sms')).toEqual({ granted: false, at: w.clock(), source: 'sms-reply' });
  // A grant stamped with the very instant of the reply does not outrank it either.
  await put('ann', { consent: { sms: { granted: true, at: w.clock().toISOString(), source: 'api' } } });
  expect(await consentOf('ann', 'sms')).toMatchObject({ granted: false, source: 'sms-reply' });
  const dry = await simulateCampaign(w.rt.simulate, 'sms-picks', { listContacted: true });
  expect(dry.contacted).toEqual(['ray']);
  expect(dry.tally.skipped).toEqual({ unsubscribed: 1, 'no-consent': 3 });
});

test('a later grant does replace an opt-out: the user subscribed again', async () => {
  w.clock.advance(3_600_000);
  await replyTd('ray');
  const later = { granted: true, at: new Date(w.clock().getTime() + 1000).toISOString(), source: 'app_settings' };
  w.clock.advance(60_000);
  await put('ray', { consent: { sms: later } });
  expect(await consentOf('ray', 'sms')).toEqual({ ...later, at: new Date(later.at) });
});

test('the unsubscribe link, then an import granting at the same instant or earlier: still opted out', async () => {
  const d = await deliveryOf('mail-picks', 'ian');
  expect(d.state).toBe('sent');
  const res = await fetch(w.tf.outcomes.links.unsubscribe(d._id), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  expect(res.status).toBe(200);
  const summary = await importNdjson(
    lines(
      { userId: 'ian', consent: { email: { granted: true, at: w.clock().toISOString(), source: 'import' } } },
      { userId: 'ian', consent: { email: { granted: true, at: ago(30), source: 'import' } } },
    ),
    profileImport(w.tf.profile),
  );
  expect(summary).toMatchObject({ rejectedBatches: 0, counts: { updated: 2 } });
  expect(await consentOf('ian', 'email')).toEqual({ granted: false, at: w.clock(), source: 'email-one-click' });
});

test("an email provider's complaint, then a PUT with an older grant: still opted out", async () => {
  const d = await deliveryOf('mail-picks', 'cat');
  const complaint: ProviderEvent = { type: 'complained', deliveryId: d._id };
  const body = JSON.stringify({ events: [complaint] });
  const res = await fetch(`${server.url}/v1/webhooks/email`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-tideflow-signature': providerSignature(EMAIL_SECRET, body, w.clock()),
    },
  });
  expect(res.status).toBe(200);
  await put('cat', { consent: { email: { granted: true, at: ago(1), source: 'signup' } } });
  expect(await consentOf('cat', 'email')).toMatchObject({ granted: false, source: 'email-complaint' });
});

test('concurrent writes in any order leave the latest change; at the latest instant the opt-out', async () => {
  const stamps = [5, 1, 9, 3, 7, 2, 8, 4, 6, 0].map((h) => new Date(NOW.getTime() - DAY + h * 3_600_000));
  const latest = stamps[2] as Date;
  await Promise.all([
    w.tf.profiles.update('dan', { consent: { sms: { granted: false, at: latest, source: 'sms-reply' } } }, w.clock()),
    ...stamps.map((at, i) =>
      w.tf.profiles.update('dan', { consent: { sms: { granted: i % 2 === 0, at, source: `w${i}` } } }, w.clock()),
    ),
  ]);
  expect(await consentOf('dan', 'sms')).toEqual({ granted: false, at: latest, source: 'sms-reply' });
});

test('a suppression reported about an older address never replaces a later one', async () => {
  const outcomes = createOutcomeStore(w.db);
  const at = w.clock();
  expect(await outcomes.suppress('cat', 'sms', { to: '+8613900000002', reason: 'hard-bounce', at })).toBe(true);
  const earlier = new Date(at.getTime() - 60_000);
  expect(await outcomes.suppress('cat', 'sms', { to: '+8613900000001', reason: 'hard-bounce', at: earlier })).toBe(
    false,
  );
  expect((await w.tf.profiles.get('cat'))?.suppressions?.sms).toMatchObject({ to: '+8613900000002' });
});

test('consent stamped in the future: refused beyond five minutes, held to the clock within, so an opt-out still wins', async () => {
  const ahead = (ms: number): string => new Date(w.clock().getTime() + ms).toISOString();
  const far = await put('eve', { consent: { sms: { granted: true, at: ahead(3_600_000), source: 'api' } } });
  expect(far.status).toBe(400);
  expect(far.body).toMatchObject({ issues: [{ path: 'consent.sms.at', message: expect.stringContaining('ahead') }] });
  const rejected: string[] = [];
  const summary = await importNdjson(
    lines({ userId: 'eve', consent: { sms: { granted: true, at: ahead(DAY), source: 'import' } } }),
    profileImport(w.tf.profile),
    { onRejected: (e) => rejected.push(...e.issues.map((i) => i.path)) },
  );
  expect(summary).toMatchObject({ rejectedBatches: 1 });
  expect(rejected).toEqual(['line 1: consent.sms.at']);
  expect(await w.tf.profiles.get('eve')).toBeNull();
  await seedUsers(w, [{ id: 'eve', consent: [] }]);
  expect((await put('eve', { consent: { sms: { granted: true, at: ahead(120_000), source: 'api' } } })).status).toBe(
    200,
  );
  expect(await consentOf('eve', 'sms')).toEqual({ granted: true, at: w.clock(), source: 'api' });
  await replyTd('eve');
  expect(await consentOf('eve', 'sms')).toMatchObject({ granted: false, source: 'sms-reply' });
});

test('a push topic left through the link stays left when an older topic list is synced again', async () => {
  const reaches = async (): Promise<boolean> =>
    ((await simulateCampaign(w.rt.simulate, 'bond-news', { listContacted: true })).contacted ?? []).includes('tia');
  const topics = ['bond_picks', 'weekly'];
  await put('tia', { topics, topicsAt: ago(2) });
  expect(await reaches()).toBe(true);
  const d = await deliveryOf('mail-picks', 'tia');
  const res = await fetch(`${w.tf.outcomes.links.unsubscribe(d._id)}&topic=bond_picks`, { method: 'POST' });
  expect(res.status).toBe(200);
  expect(await reaches()).toBe(false);
  // The nightly re-sync: the list as chosen yesterday, then one with no time at all.
  await put('tia', { topics, topicsAt: ago(1) });
  expect(await reaches()).toBe(false);
  await put('tia', { topics, topicsAt: w.clock().toISOString() });
  expect(await reaches()).toBe(false);
  await put('tia', { topics });
  expect(await reaches()).toBe(false);
  expect((await w.tf.profiles.get('tia'))?.topics).toEqual(topics);
  // Chosen again in the app after leaving: back in.
  w.clock.advance(60_000);
  await put('tia', { topics, topicsAt: w.clock().toISOString() });
  expect(await reaches()).toBe(true);
});

test('an opt-out takes effect over a grant stored with a future time (written before times were checked)', async () => {
  await seedUsers(w, [{ id: 'fay', consent: [] }]);
  const future = new Date(w.clock().getTime() + 30 * DAY);
  await profilesCollection(w.db).updateOne(
    { _id: 'fay' },
    { $set: { 'consent.sms': { granted: true, at: future, source: 'legacy-sync' } } },
  );
  await replyTd('fay');
  expect(await consentOf('fay', 'sms')).toEqual({ granted: false, at: future, source: 'sms-reply' });
});
