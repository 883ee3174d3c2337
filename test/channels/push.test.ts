import { pushChannel, type PushOptions } from '../../src/channels/push.js';
import type { OutgoingMessage } from '../../src/ports/channel.js';
import { startPushGateway, type PushGateway } from '../../src/receivers/push-gateway.js';

let gateway: PushGateway;

beforeAll(async () => {
  gateway = await startPushGateway();
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.received.length = 0;
  gateway.setMode('accept');
});

const channel = (o: Partial<PushOptions> = {}) =>
  pushChannel({ url: gateway.url, token: gateway.token, timeoutMs: 300, ...o });

let seq = 0;

/** A message with a fresh delivery id (the gateway remembers ids across tests), unless overridden. */
function aMessage(o: Partial<OutgoingMessage> = {}): OutgoingMessage {
  seq += 1;
  return {
    deliveryId: `weekly-picks:2026-W47:u-${seq}`,
    to: 'push-token-u1001',
    subject: '本周债券精选：稳健债券A',
    text: '参考年化4.10%，期限90天。基金有风险，投资需谨慎',
    unsubscribeUrl: 'https://tideflow.example/u/x',
    metadata: { campaign: 'weekly-picks', topic: 'weekly' },
    ...o,
  };
}

test('a notification reaches the gateway with the delivery id as idempotency key; a resend notifies nobody twice', async () => {
  const message = aMessage({ deliveryId: 'weekly-picks:2026-W47:u-1001' });
  const first = await channel().send(message);
  expect(gateway.received).toHaveLength(1);
  const got = gateway.received[0]!;
  expect(first).toEqual({ kind: 'sent', providerId: got.id });
  expect(got).toEqual({
    id: got.id,
    idempotencyKey: 'weekly-picks:2026-W47:u-1001',
    to: 'push-token-u1001',
    title: '本周债券精选：稳健债券A',
    body: '参考年化4.10%，期限90天。基金有风险，投资需谨慎',
    data: {
      campaign: 'weekly-picks',
      topic: 'weekly',
      deliveryId: 'weekly-picks:2026-W47:u-1001',
      unsubscribeUrl: 'https://tideflow.example/u/x',
    },
  });
  expect(await channel().send(message)).toEqual(first);
  expect(gateway.received).toHaveLength(1);
});

describe('failures', () => {
  test.each([
    ['throttle', { kind: 'retryable' }],
    ['error', { kind: 'retryable' }],
    ['reject', { kind: 'failed', code: 'InvalidToken' }],
    ['drop', { kind: 'unknown' }],
    ['hang', { kind: 'unknown' }],
  ] as const)('%s → %o', async (mode, expected) => {
    gateway.setMode(mode, 1);
    expect(await channel().send(aMessage())).toMatchObject(expected);
    expect(gateway.received).toHaveLength(0);
    expect((await channel().send(aMessage())).kind).toBe('sent');
  });

  test('a wrong token is refused for good', async () => {
    expect(await channel({ token: 'wrong' }).send(aMessage())).toMatchObject({ kind: 'failed', code: 'Unauthorized' });
  });

  test('a gateway that is not there is retryable: the request never left', async () => {
    const gone = await startPushGateway();
    await gone.close();
    expect((await channel({ url: gone.url }).send(aMessage())).kind).toBe('retryable');
  });
});
