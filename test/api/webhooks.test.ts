// Outcomes over HTTP: Twilio status callbacks and inbound replies (signature verified), signed
// unsubscribe and tracked links. A real SMS send through the local Twilio stand-in produces the
// callbacks; every outcome must update the delivery and re-enter as an event, exactly once.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app.js';
import { twilioSignature } from '../../src/receivers/sms-receiver.js';
import { runNow } from '../../src/deliver/run-now.js';
import { eventsCollection, profilesCollection } from '../../src/store/collections.js';
import { outcomesCollection } from '../../src/store/outcomes.js';
import { openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let server: Server;
let base: string;
let w: World;
let smsDelivery: string;
let pushDelivery: string;
let handler: RequestListener = (_req, res) => {
  res.statusCode = 503;
  res.end();
};

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  w = await openWorld({
    label: 'webhooks',
    campaigns: [
      testCampaign({ id: 'sms-picks', channels: ['sms'] }),
      testCampaign({ id: 'push-picks', channels: ['push'], priority: 5 }),
    ],
    env: { TIDEFLOW_PUBLIC_URL: base, TIDEFLOW_LINK_SECRET: 'k'.repeat(40) },
  });
  handler = createApp({ ...w.tf, outcomes: w.tf.outcomes }, { report: () => undefined }) as unknown as RequestListener;
  await seedUsers(w, [
    { id: 'ann', consent: ['sms'] },
    { id: 'bob', consent: ['push'] },
  ]);
  await profilesCollection(w.db).updateOne({ _id: 'bob' }, { $set: { topics: ['bond_picks', 'weekly'] } });
  await runNow(w.rt, 'sms-picks');
  await runNow(w.rt, 'push-picks');
  const sent = await outcomesCollection(w.db).find({ state: 'sent' }).toArray();
  smsDelivery = sent.find((d) => d.channel === 'sms')?._id as string;
  pushDelivery = sent.find((d) => d.channel === 'push')?._id as string;
});
afterAll(async () => {
  await w.close();
  await new Promise((resolve) => server.close(resolve));
});

const outcomeOf = async (id: string) => (await outcomesCollection(w.db).findOne({ _id: id }))?.outcome;
const eventsOf = (type: string) => eventsCollection(w.db).find({ type }).toArray();
const sid = (): string => w.receivers.sms.received[0]?.sid as string;

function postForm(url: string, params: Record<string, string>, signature?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature ? { 'x-twilio-signature': signature } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
}

test('the SMS went out with a status callback to the public URL, naming its delivery', () => {
  expect(smsDelivery).toBeDefined();
  expect(w.receivers.sms.received).toHaveLength(1);
  const callback = new URL(w.receivers.sms.received[0]?.statusCallback as string);
  expect(callback.origin + callback.pathname).toBe(`${base}/v1/webhooks/twilio/status`);
  expect(callback.searchParams.get('deliveryId')).toBe(smsDelivery);
});

test('a bad, missing or re-targeted signature gets 403 and changes nothing', async () => {
  const callback = w.receivers.sms.received[0]?.statusCallback as string;
  const params = { MessageSid: sid(), MessageStatus: 'delivered', AccountSid: w.receivers.sms.accountSid };
  expect((await postForm(callback, params)).status).toBe(403);
  expect((await postForm(callback, params, twilioSignature('wrong-token', callback, params))).status).toBe(403);
  // Signed for this callback, replayed against another delivery.
  const other = `${base}/v1/webhooks/twilio/status?deliveryId=${encodeURIComponent(pushDelivery)}`;
  expect((await postForm(other, params, twilioSignature(w.receivers.sms.authToken, callback, params))).status).toBe(
    403,
  );
  // Signed, with a field changed afterwards.
  expect(
    (
      await postForm(
        callback,
        { ...params, MessageStatus: 'failed' },
        twilioSignature(w.receivers.sms.authToken, callback, params),
      )
    ).status,
  ).toBe(403);
  expect(await outcomeOf(smsDelivery)).toBeUndefined();
  expect(await outcomeOf(pushDelivery)).toBeUndefined();
  expect(await eventsOf('message_delivered')).toHaveLength(0);
});

test('status callbacks move the delivery forward only; duplicates and late ones change nothing', async () => {
  expect(await w.receivers.sms.report(sid(), 'sent')).toBe(204);
  expect(await outcomeOf(smsDelivery)).toMatchObject({ status: 'sent', statusRank: 3 });
  expect(await eventsOf('message_delivered')).toHaveLength(0);
  expect(await w.receivers.sms.report(sid(), 'delivered')).toBe(204);
  expect(await w.receivers.sms.report(sid(), 'delivered')).toBe(204);
  expect(await w.receivers.sms.report(sid(), 'queued')).toBe(204);
  expect(await w.receivers.sms.report(sid(), 'undelivered')).toBe(204);
  expect(await outcomeOf(smsDelivery)).toMatchObject({ status: 'delivered', delivered: 1 });
  const delivered = await eventsOf('message_delivered');
  expect(delivered).toHaveLength(1);
  expect(delivered[0]).toMatchObject({
    userId: 'ann',
    props: { campaign: 'sms-picks', delivery: smsDelivery, channel: 'sms', status: 'delivered' },
  });
  expect(await eventsOf('message_failed')).toHaveLength(0);
  // The event reached the profile like any other.
  expect((await w.tf.profiles.get('ann'))?.lastAt?.message_delivered).toBeInstanceOf(Date);
});

test('a callback for another message of the delivery, or an unknown delivery, is ignored', async () => {
  const callback = `${base}/v1/webhooks/twilio/status?deliveryId=${encodeURIComponent(pushDelivery)}`;
  const params = { MessageSid: 'SMother', MessageStatus: 'delivered' };
  expect((await postForm(callback, params, twilioSignature(w.receivers.sms.authToken, callback, params))).status).toBe(
    204,
  );
  expect(await outcomeOf(pushDelivery)).toBeUndefined();
  const unknown = `${base}/v1/webhooks/twilio/status?deliveryId=nope`;
  expect((await postForm(unknown, params, twilioSignature(w.receivers.sms.authToken, unknown, params))).status).toBe(
    204,
  );
});

test('an SMS reply T withdraws SMS consent of the sender, recorded once; unsigned replies change nothing', async () => {
  const url = `${base}/v1/webhooks/twilio/inbound`;
  const phone = (await w.tf.profiles.get('ann'))?.phone as string;
  const reply = { MessageSid: 'SMreply1', From: phone, To: '+8610690000', Body: ' T ' };
  expect((await postForm(url, reply)).status).toBe(403);
  expect((await w.tf.profiles.get('ann'))?.consent?.sms?.granted).toBe(true);
  const signed = twilioSignature(w.receivers.sms.authToken, url, reply);
  const res = await postForm(url, reply, signed);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<Response></Response>');
  expect((await w.tf.profiles.get('ann'))?.consent?.sms).toEqual({
    granted: false,
    at: w.clock(),
    source: 'sms-reply',
  });
  expect((await postForm(url, reply, signed)).status).toBe(200);
  expect(await eventsOf('unsubscribed')).toEqual([
    expect.objectContaining({ userId: 'ann', props: expect.objectContaining({ channel: 'sms', how: 'reply' }) }),
  ]);
  const chat = { MessageSid: 'SMreply2', From: phone, To: '+8610690000', Body: '谢谢' };
  expect((await postForm(url, chat, twilioSignature(w.receivers.sms.authToken, url, chat))).status).toBe(200);
  expect(await eventsOf('unsubscribed')).toHaveLength(1);
});

test('a tracked link records the click and redirects only to the URL it was signed for', async () => {
  const link = w.tf.outcomes.links.track(pushDelivery, 'https://app.example.com/p/bond-steady?from=push');
  const res = await fetch(link, { redirect: 'manual' });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('https://app.example.com/p/bond-steady?from=push');
  await fetch(link, { redirect: 'manual' });
  expect(await outcomeOf(pushDelivery)).toMatchObject({ clicked: 1, clicks: 2, clickedAt: w.clock() });
  expect(await eventsOf('message_clicked')).toEqual([
    expect.objectContaining({
      userId: 'bob',
      props: expect.objectContaining({ url: 'https://app.example.com/p/bond-steady?from=push' }),
    }),
  ]);
  const [payload, sig] = link.slice(link.lastIndexOf('/') + 1).split('.');
  const forged = Buffer.from(JSON.stringify({ d: pushDelivery, u: 'https://evil.example.com/' })).toString('base64url');
  for (const token of [`${forged}.${sig}`, `${payload}.AAAA${sig?.slice(4)}`, payload]) {
    const r = await fetch(`${base}/v1/l/${token}`, { redirect: 'manual' });
    expect(r.status).toBe(404);
    expect(r.headers.get('location')).toBeNull();
  }
});

test('one-click unsubscribe: GET confirms and changes nothing, POST withdraws consent; bad signatures get 403', async () => {
  // The push carried the signed link.
  const link = w.receivers.push.received[0]?.data.unsubscribeUrl as string;
  expect(link).toBe(w.tf.outcomes.links.unsubscribe(pushDelivery));
  const page = await fetch(link);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<form method="post">');
  expect((await w.tf.profiles.get('bob'))?.consent?.push?.granted).toBe(true);
  const tampered = link.replace(/s=.*/, 's=AAAAAAAAAAAAAAAAAAAAAA');
  expect((await fetch(tampered, { method: 'POST' })).status).toBe(403);
  expect((await fetch(link.replace(/\?s=.*/, ''), { method: 'POST' })).status).toBe(403);
  // An unsubscribe link of one delivery does not unsubscribe another.
  expect(
    (await fetch(link.replace(encodeURIComponent(pushDelivery), encodeURIComponent(smsDelivery)), { method: 'POST' }))
      .status,
  ).toBe(403);
  expect((await w.tf.profiles.get('bob'))?.consent?.push?.granted).toBe(true);

  const topic = await postForm(`${link}&topic=bond_picks`, {});
  expect(topic.status).toBe(200);
  expect((await w.tf.profiles.get('bob'))?.topics).toEqual(['weekly']);
  expect((await w.tf.profiles.get('bob'))?.consent?.push?.granted).toBe(true);

  const res = await postForm(link, { 'List-Unsubscribe': 'One-Click' });
  expect(res.status).toBe(200);
  expect((await w.tf.profiles.get('bob'))?.consent?.push).toEqual({
    granted: false,
    at: w.clock(),
    source: 'push-one-click',
  });
  expect(await outcomeOf(pushDelivery)).toMatchObject({ unsubscribedAt: w.clock() });
  const bobs = (await eventsOf('unsubscribed')).filter((e) => e.userId === 'bob');
  expect(bobs.map((e) => e.props?.how).sort()).toEqual(['one-click', 'topic']);
});
