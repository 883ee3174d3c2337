import { startPushGateway, type PushGateway, type PushGatewayOptions } from './push-gateway.js';
import { startSmsReceiver, type SmsReceiver, type SmsReceiverOptions } from './sms-receiver.js';
import { startSmtpReceiver, type SmtpReceiver, type SmtpReceiverOptions } from './smtp-receiver.js';

/** The three local providers together, as `tideflow demo` and scenario tests run them. */
export interface LocalProviders {
  smtp: SmtpReceiver;
  sms: SmsReceiver;
  push: PushGateway;
  /** Environment variables that point Tideflow's channels at these providers (merge into the env before loadConfig). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalProviders(
  options: { smtp?: SmtpReceiverOptions; sms?: SmsReceiverOptions; push?: PushGatewayOptions } = {},
): Promise<LocalProviders> {
  const [smtp, sms, push] = await Promise.all([
    startSmtpReceiver(options.smtp),
    startSmsReceiver(options.sms),
    startPushGateway(options.push),
  ]);
  const env: Record<string, string> = {
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    TWILIO_ACCOUNT_SID: sms.accountSid,
    TWILIO_AUTH_TOKEN: sms.authToken,
    TWILIO_FROM: '+8610690000',
    TWILIO_API_BASE_URL: sms.url,
    PUSH_GATEWAY_URL: push.url,
    PUSH_GATEWAY_TOKEN: push.token,
  };
  if (options.smtp?.auth) Object.assign(env, { SMTP_USER: options.smtp.auth.user, SMTP_PASS: options.smtp.auth.pass });
  return {
    smtp,
    sms,
    push,
    env,
    close: async () => {
      await Promise.all([smtp.close(), sms.close(), push.close()]);
    },
  };
}
