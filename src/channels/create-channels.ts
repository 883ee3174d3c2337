import type { Config } from '../config/config.js';
import { ConfigError } from '../errors.js';
import type { Channels } from '../ports/channel.js';
import { emailChannel } from './email.js';
import { pushChannel } from './push.js';
import { smsChannel } from './sms.js';

/** Where providers report SMS delivery status (the webhook of the API). */
export const TWILIO_STATUS_PATH = '/v1/webhooks/twilio/status';

type ChannelConfig = Pick<
  Config,
  | 'TIDEFLOW_PUBLIC_URL'
  | 'TIDEFLOW_CHANNEL_TIMEOUT_MS'
  | 'SMTP_HOST'
  | 'SMTP_PORT'
  | 'SMTP_SECURE'
  | 'SMTP_USER'
  | 'SMTP_PASS'
  | 'SMTP_FROM'
  | 'SMTP_UNSUBSCRIBE_MAILTO'
  | 'TIDEFLOW_EMAIL_COST'
  | 'TWILIO_ACCOUNT_SID'
  | 'TWILIO_AUTH_TOKEN'
  | 'TWILIO_FROM'
  | 'TWILIO_MESSAGING_SERVICE_SID'
  | 'TWILIO_API_BASE_URL'
  | 'TIDEFLOW_SMS_COST'
  | 'PUSH_GATEWAY_URL'
  | 'PUSH_GATEWAY_TOKEN'
  | 'TIDEFLOW_PUSH_COST'
>;

/** The channels the configuration sets up; a channel whose address is unset is left out. */
export function createChannels(c: ChannelConfig): Channels {
  const timeoutMs = c.TIDEFLOW_CHANNEL_TIMEOUT_MS;
  const channels: Channels = {};
  if (c.SMTP_HOST) {
    if (!c.SMTP_USER !== !c.SMTP_PASS) throw new ConfigError('SMTP_USER and SMTP_PASS go together');
    channels.email = emailChannel({
      host: c.SMTP_HOST,
      port: c.SMTP_PORT,
      secure: c.SMTP_SECURE,
      from: c.SMTP_FROM,
      costPerMessage: c.TIDEFLOW_EMAIL_COST,
      timeoutMs,
      ...(c.SMTP_USER && c.SMTP_PASS ? { auth: { user: c.SMTP_USER, pass: c.SMTP_PASS } } : {}),
      ...(c.SMTP_UNSUBSCRIBE_MAILTO ? { unsubscribeMailto: c.SMTP_UNSUBSCRIBE_MAILTO } : {}),
    });
  }
  if (c.TWILIO_ACCOUNT_SID) {
    if (!c.TWILIO_AUTH_TOKEN) throw new ConfigError('TWILIO_AUTH_TOKEN is required with TWILIO_ACCOUNT_SID');
    if (!c.TWILIO_FROM && !c.TWILIO_MESSAGING_SERVICE_SID)
      throw new ConfigError('set TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
    channels.sms = smsChannel({
      accountSid: c.TWILIO_ACCOUNT_SID,
      authToken: c.TWILIO_AUTH_TOKEN,
      costPerMessage: c.TIDEFLOW_SMS_COST,
      timeoutMs,
      statusCallbackUrl: `${c.TIDEFLOW_PUBLIC_URL.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}`,
      ...(c.TWILIO_FROM ? { from: c.TWILIO_FROM } : {}),
      ...(c.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: c.TWILIO_MESSAGING_SERVICE_SID } : {}),
      ...(c.TWILIO_API_BASE_URL ? { apiBaseUrl: c.TWILIO_API_BASE_URL } : {}),
    });
  }
  if (c.PUSH_GATEWAY_URL) {
    channels.push = pushChannel({
      url: c.PUSH_GATEWAY_URL,
      costPerMessage: c.TIDEFLOW_PUSH_COST,
      timeoutMs,
      ...(c.PUSH_GATEWAY_TOKEN ? { token: c.PUSH_GATEWAY_TOKEN } : {}),
    });
  }
  return channels;
}
