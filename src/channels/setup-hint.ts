import type { Channel } from '../domain/profile.js';

/** The environment variables that configure each channel, as an operator needs to be told them. */
export const CHANNEL_SETUP: Record<Channel, string> = {
  email: 'SMTP_HOST (with SMTP_PORT, SMTP_USER and SMTP_PASS as your relay needs)',
  sms: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (or TWILIO_MESSAGING_SERVICE_SID)',
  push: 'PUSH_GATEWAY_URL and PUSH_GATEWAY_TOKEN',
};

/** The channels of `wanted` that are not among `configured`, in `wanted`'s order. */
export function missingChannels(wanted: readonly Channel[], configured: readonly Channel[]): Channel[] {
  return wanted.filter((ch) => !configured.includes(ch));
}

/** Why a campaign cannot run here, and how to make it: one line per channel, then the sandbox. */
export function noChannelMessage(campaignId: string, channels: readonly Channel[]): string {
  return [
    `campaign ${campaignId} sends on ${channels.join(', ')}; none of these channels is configured. Set:`,
    ...channels.map((ch) => `  ${ch}: ${CHANNEL_SETUP[ch]}`),
    'or try it with sandbox channels (--sandbox, or TIDEFLOW_CHANNELS=sandbox): local receivers keep every message, nothing reaches users',
  ].join('\n');
}
