import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { smsChannel, withOptOut, type SmsOptions } from '../../src/channels/sms.js';
import type { OutgoingMessage } from '../../src/ports/channel.js';
import { startSmsReceiver, type SmsReceiver } from '../../src/receivers/sms-receiver.js';

let receiver: SmsReceiver;
let callbacks: http.Server;
let callbackUrl: string;
const posted: { signature: string | undefined; url: string; params: Record<string, string> }[] = [];

beforeAll(async () => {
  receiver = await startSmsReceiver();
  // A stand-in for Tideflow's status webhook, recording what the provider posts back.
  callbacks = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posted.push({
        signature: req.headers['x-twilio-signature'] as string | undefined,
        url: `${callbackUrl.split('/v1')[0]}${req.url}`,
        params: Object.fromEntries(new URLSearchParams(body)),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => callbacks.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${(callbacks.address() as AddressInfo).port}/v1/webhooks/twilio/status`;
});
afterAll(async () => {
  await receiver.close();
  await new Promise((r) => callbacks.close(r));
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.setMode('accept');
});

const channel = (o: Partial<SmsOptions> = {}) =>
  smsChannel({
    accountSid: receiver.accountSid,
    authToken: receiver.authToken,
    from: '+8610690000',
    apiBaseUrl: receiver.url,
    statusCallbackUrl: callbackUrl,
    timeoutMs: 500,
    ...o,
  });

function aMessage(o: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: 'first-purchase:2026-11-20:u-1001',
    to: '+8613800138000',
    text: '为您精选稳健债券A，首投红包20元已到账。基金有风险，投资需谨慎',
    unsubscribeUrl: 'https://tideflow.example/u/x',
    ...o,
  };
}

test('an SMS goes through the twilio SDK with the opt-out wording and a status callback naming the delivery', async () => {
  const result = await channel().send(aMessage());
  expect(receiver.received).toHaveLength(1);
  const got = receiver.received[0]!;
  expect(result).toEqual({ kind: 'sent', providerId: got.sid });
  expect(got.sid).toMatch(/^SM[0-9a-f]{32}$/);
  expect(got).toMatchObject({
    to: '+8613800138000',
    from: '+8610690000',
    body: '为您精选稳健债券A，首投红包20元已到账。基金有风险，投资需谨慎回T退订',
  });
  expect(got.statusCallback).toBe(`${callbackUrl}?deliveryId=first-purchase%3A2026-11-20%3Au-1001`);
});

test('the opt-out wording is not added twice; a messaging service replaces the sender', async () => {
  expect(withOptOut('已含回T退订的正文')).toBe('已含回T退订的正文');
  await channel({ from: undefined, messagingServiceSid: `MG${'1'.repeat(32)}` }).send(aMessage({ text: '正文 \n' }));
  expect(receiver.received[0]).toMatchObject({ body: '正文回T退订', messagingServiceSid: `MG${'1'.repeat(32)}` });
  expect(receiver.received[0]?.from).toBeUndefined();
});

test('the local endpoint signs status callbacks as Twilio does, so the SDK validates them', async () => {
  await channel().send(aMessage());
  const sid = receiver.received[0]!.sid;
  expect(await receiver.report(sid, 'delivered')).toBe(204);
  const cb = posted.at(-1)!;
  expect(cb.params).toMatchObject({ MessageSid: sid, MessageStatus: 'delivered', To: '+8613800138000' });
  expect(twilio.validateRequest(receiver.authToken, cb.signature ?? '', cb.url, cb.params)).toBe(true);
  expect(twilio.validateRequest('another-token', cb.signature ?? '', cb.url, cb.params)).toBe(false);
});

describe('failures', () => {
  test.each([
    ['throttle', { kind: 'retryable' }],
    ['error', { kind: 'retryable' }],
    ['unsubscribed', { kind: 'failed', code: '21610' }],
    ['drop', { kind: 'unknown' }],
    ['hang', { kind: 'unknown' }],
  ] as const)('%s → %o', async (mode, expected) => {
    receiver.setMode(mode, 1);
    expect(await channel().send(aMessage())).toMatchObject(expected);
    expect(receiver.received).toHaveLength(0);
    expect((await channel().send(aMessage())).kind).toBe('sent');
  });

  test('a wrong auth token is refused for good (401, code 20003)', async () => {
    expect(await channel({ authToken: 'wrong' }).send(aMessage())).toMatchObject({ kind: 'failed', code: '20003' });
  });

  test('an endpoint that is not there is retryable: the request never left', async () => {
    const gone = await startSmsReceiver();
    await gone.close();
    expect((await channel({ apiBaseUrl: gone.url }).send(aMessage())).kind).toBe('retryable');
  });
});

describe('looking a message up after its sender died', () => {
  const claimedAt = (): Date => new Date(Date.now() - 1000);

  test('a message the provider took is found by number and body fingerprint', async () => {
    const sms = channel();
    const m = aMessage();
    const since = claimedAt();
    const sent = await sms.send(m);
    expect(sent.kind).toBe('sent');
    const found = await sms.lookup!({ deliveryId: m.deliveryId, to: m.to, since, fingerprint: sms.fingerprint!(m) });
    expect(found).toEqual({ kind: 'found', providerId: receiver.received[0]!.sid });
  });

  test('nothing sent to the number since the claim: not found, so sending is safe', async () => {
    const sms = channel();
    await sms.send(aMessage({ to: '+8613900139000' }));
    const m = aMessage();
    expect(
      await sms.lookup!({ deliveryId: m.deliveryId, to: m.to, since: claimedAt(), fingerprint: sms.fingerprint!(m) }),
    ).toEqual({ kind: 'not-found' });
  });

  test('a message sent before the claim is not this one', async () => {
    const sms = channel();
    const m = aMessage();
    await sms.send(m);
    const later = new Date(Date.now() + 5 * 60_000);
    expect(
      await sms.lookup!({ deliveryId: m.deliveryId, to: m.to, since: later, fingerprint: sms.fingerprint!(m) }),
    ).toEqual({ kind: 'not-found' });
  });

  test('another message to the number since the claim leaves it unknown; so does a provider that cannot be asked', async () => {
    const sms = channel();
    const m = aMessage();
    await sms.send(aMessage({ text: '另一条活动短信' }));
    const other = await sms.lookup!({
      deliveryId: m.deliveryId,
      to: m.to,
      since: claimedAt(),
      fingerprint: sms.fingerprint!(m),
    });
    expect(other.kind).toBe('unsupported');
    const down = channel({ apiBaseUrl: 'http://127.0.0.1:9' });
    expect(
      (
        await down.lookup!({
          deliveryId: m.deliveryId,
          to: m.to,
          since: claimedAt(),
          fingerprint: down.fingerprint!(m),
        })
      ).kind,
    ).toBe('unsupported');
    expect((await sms.lookup!({ deliveryId: m.deliveryId, since: claimedAt() })).kind).toBe('unsupported');
  });
});
