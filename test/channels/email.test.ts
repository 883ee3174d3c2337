import { emailChannel, messageIdFor, type EmailOptions } from '../../src/channels/email.js';
import type { OutgoingMessage } from '../../src/ports/channel.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../src/receivers/smtp-receiver.js';

const FROM = '理财通知 <noreply@fund.example>';
let smtp: SmtpReceiver;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
});
afterAll(() => smtp.close());
beforeEach(() => {
  smtp.received.length = 0;
  smtp.setMode('accept');
});

const channel = (o: Partial<EmailOptions> = {}) =>
  emailChannel({
    host: smtp.host,
    port: smtp.port,
    from: FROM,
    unsubscribeMailto: 'unsubscribe@fund.example',
    timeoutMs: 500,
    ...o,
  });

function aMessage(o: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: 'first-purchase:2026-11-20:u-1001',
    to: 'u1001@example.com',
    subject: '首投专享：20元红包已到账',
    text: '为您精选稳健债券A。基金有风险，投资需谨慎',
    html: '<p>为您精选<b>稳健债券A</b>。基金有风险，投资需谨慎</p>',
    unsubscribeUrl: 'https://tideflow.example/v1/unsubscribe/abc?sig=xyz',
    ...o,
  };
}

test('an email arrives with the rendered parts, the one-click unsubscribe headers and a Message-ID from the delivery id', async () => {
  const result = await channel().send(aMessage());
  const messageId = messageIdFor('first-purchase:2026-11-20:u-1001', FROM);
  expect(messageId).toBe('<first-purchase=3A2026-11-20=3Au-1001@fund.example>');
  expect(result).toEqual({ kind: 'sent', providerId: messageId });
  expect(smtp.received).toHaveLength(1);
  const got = smtp.received[0]!;
  expect(got.to).toEqual(['u1001@example.com']);
  expect(got.subject).toBe('首投专享：20元红包已到账');
  expect(got.text.trim()).toBe('为您精选稳健债券A。基金有风险，投资需谨慎');
  expect(got.html).toContain('<b>稳健债券A</b>');
  expect(got.messageId).toBe(messageId);
  expect(got.headers['list-unsubscribe']).toBe(
    '<mailto:unsubscribe@fund.example?subject=unsubscribe%20first-purchase%3A2026-11-20%3Au-1001>, <https://tideflow.example/v1/unsubscribe/abc?sig=xyz>',
  );
  expect(got.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  expect(got.headers['x-tideflow-delivery']).toBe('first-purchase:2026-11-20:u-1001');
});

test('without a mailto address only the https link is offered; a text-only message has no HTML part', async () => {
  await channel({ unsubscribeMailto: undefined }).send(aMessage({ html: undefined }));
  expect(smtp.received[0]?.headers['list-unsubscribe']).toBe('<https://tideflow.example/v1/unsubscribe/abc?sig=xyz>');
  expect(smtp.received[0]?.html).toBeUndefined();
});

describe('failures are classified by what the server could have done with the message', () => {
  test.each([
    ['reject-temporary', 'retryable'],
    ['reject-permanent', 'failed'],
    ['reject-recipient', 'failed'],
    ['drop-at-recipient', 'retryable'],
    ['drop-after-data', 'unknown'],
    ['hang-after-data', 'unknown'],
  ] as const)('%s → %s', async (mode, kind) => {
    smtp.setMode(mode, 1);
    const result = await channel().send(aMessage());
    expect(result.kind).toBe(kind);
    if (result.kind === 'failed') expect(result.code).toBe('550');
    expect(smtp.received.length).toBe(kind === 'unknown' ? 1 : 0);
    // One failure only: the next message goes through.
    expect((await channel().send(aMessage({ deliveryId: 'next' }))).kind).toBe('sent');
  });

  test('a server that is not there is retryable: nothing was sent', async () => {
    const gone = await startSmtpReceiver();
    await gone.close();
    const result = await channel({ port: gone.port }).send(aMessage());
    expect(result.kind).toBe('retryable');
  });

  test('wrong credentials are refused for good (535)', async () => {
    const guarded = await startSmtpReceiver({ auth: { user: 'mailer', pass: 'right' } });
    try {
      const base = { host: guarded.host, port: guarded.port };
      expect(await channel({ ...base, auth: { user: 'mailer', pass: 'wrong' } }).send(aMessage())).toMatchObject({
        kind: 'failed',
        code: '535',
      });
      expect((await channel({ ...base, auth: { user: 'mailer', pass: 'right' } }).send(aMessage())).kind).toBe('sent');
      expect(guarded.received).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });
});

describe('the handover is recorded at the last moment: after the server took sender, recipient and DATA, before the dot', () => {
  /** Sends with a handover that notes how many messages the server had when it was called. */
  async function sendNoting(mode: Parameters<SmtpReceiver['setMode']>[0] | 'accept') {
    smtp.setMode(mode, 1);
    const handovers: number[] = [];
    const result = await channel().send(aMessage(), () => {
      handovers.push(smtp.received.length);
      return Promise.resolve();
    });
    return { result, handovers };
  }

  test.each([
    ['reject-recipient', 'failed'],
    ['drop-at-recipient', 'retryable'],
    ['hang-at-recipient', 'retryable'],
  ] as const)('%s → %s, never handed over (a sender dying meanwhile is safely retried)', async (mode, kind) => {
    const { result, handovers } = await sendNoting(mode);
    expect(result.kind).toBe(kind);
    expect(handovers).toEqual([]);
    expect(smtp.received).toHaveLength(0);
  });

  test.each([
    ['accept', 'sent'],
    ['hang-after-data', 'unknown'],
    ['drop-after-data', 'unknown'],
    ['reject-permanent', 'failed'],
  ] as const)('%s → %s, handed over once, before the server had the message', async (mode, kind) => {
    const { result, handovers } = await sendNoting(mode);
    expect(result.kind).toBe(kind);
    // The server had not got the message when the handover was recorded; only after it.
    expect(handovers).toEqual([0]);
    expect(smtp.received).toHaveLength(kind === 'failed' ? 0 : 1);
  });
});
