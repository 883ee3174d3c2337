import { createChannels } from '../../src/channels/create-channels.js';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';
import { startLocalProviders } from '../../src/receivers/start-receivers.js';

test('no provider configured: no channel', () => {
  expect(createChannels(loadConfig({}))).toEqual({});
});

test('the environment sets up all three channels against the local receivers, with their costs', async () => {
  const providers = await startLocalProviders({ smtp: { auth: { user: 'mailer', pass: 'secret' } } });
  const { smtp, sms, push } = providers;
  try {
    const channels = createChannels(
      loadConfig({ ...providers.env, TIDEFLOW_PUBLIC_URL: 'https://marketing.example/', TIDEFLOW_SMS_COST: '0.04' }),
    );
    expect(Object.keys(channels).sort()).toEqual(['email', 'push', 'sms']);
    expect([channels.sms?.costPerMessage, channels.email?.costPerMessage, channels.push?.costPerMessage]).toEqual([
      0.04, 0, 0,
    ]);
    const message = {
      deliveryId: 'c:1:u1',
      to: '',
      text: '正文 基金有风险，投资需谨慎',
      subject: '标题',
      unsubscribeUrl: 'https://marketing.example/u/1',
    };
    expect((await channels.email!.send({ ...message, to: 'u1@example.com' })).kind).toBe('sent');
    expect((await channels.sms!.send({ ...message, to: '+8613800138000' })).kind).toBe('sent');
    expect((await channels.push!.send({ ...message, to: 'push-token-u1' })).kind).toBe('sent');
    expect(sms.received[0]?.statusCallback).toBe(
      'https://marketing.example/v1/webhooks/twilio/status?deliveryId=c%3A1%3Au1',
    );
    expect([smtp.received.length, push.received.length]).toEqual([1, 1]);
  } finally {
    await providers.close();
  }
});

test('incomplete or malformed provider settings are configuration errors naming the variable', () => {
  expect(() =>
    createChannels(loadConfig({ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_FROM: '+86106' })),
  ).toThrow(ConfigError);
  expect(() =>
    createChannels(loadConfig({ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't' })),
  ).toThrow(/TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID/);
  expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'SK123' })).toThrow(/TWILIO_ACCOUNT_SID: AC followed by 32 hex digits/);
  expect(() => loadConfig({ TIDEFLOW_SMS_COST: '-1' })).toThrow(/TIDEFLOW_SMS_COST/);
  expect(() => createChannels(loadConfig({ SMTP_HOST: 'localhost', SMTP_USER: 'u' }))).toThrow(
    /SMTP_USER and SMTP_PASS/,
  );
});
