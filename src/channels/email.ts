import nodemailer from 'nodemailer';
import type { Mail, StreamSentMessageInfo, StreamTransportOptions } from 'nodemailer';
import type { Channel, Handover, OutgoingMessage, SendResult } from '../ports/channel.js';
import { describe } from './outcome.js';
import { smtpSend } from './smtp-send.js';

export { classifySmtpError } from './smtp-send.js';

export interface EmailOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. @defaultValue false */
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** Sender, e.g. `理财通知 <noreply@example.com>`; its domain also names the Message-IDs. */
  from: string;
  /** Mailbox for `List-Unsubscribe: <mailto:…>` next to the one-click link; none when unset. */
  unsubscribeMailto?: string;
  /** Yuan per message. @defaultValue 0 */
  costPerMessage?: number;
  /** Connection, greeting and per-reply timeout. @defaultValue 10000 */
  timeoutMs?: number;
}

/**
 * Email over SMTP with nodemailer. SMTP cannot be asked afterwards whether it took a message, but
 * the server takes it only at the dot that ends DATA; the channel holds that dot back until the
 * handover is recorded, and reaches the dot only after the server accepted the sender, the
 * recipient and DATA (see smtp-send.ts), so a sender that died before it provably sent nothing.
 */
export function emailChannel(options: EmailOptions): Channel {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    name: 'email',
    costPerMessage: options.costPerMessage ?? 0,
    announcesHandover: true,
    timeoutMs: options.timeoutMs ?? 10_000,
    send: (message, handover) => sendEmail(options, composer, message, handover),
    close: () => Promise.resolve(),
  };
}

type Composer = Mail<StreamSentMessageInfo, StreamTransportOptions>;

/** The message is composed whole first, then sent as is, over a connection of its own. */
async function sendEmail(
  options: EmailOptions,
  composer: Composer,
  m: OutgoingMessage,
  handover?: Handover,
): Promise<SendResult> {
  const messageId = messageIdFor(m.deliveryId, options.from);
  let composed: StreamSentMessageInfo;
  try {
    composed = await composer.sendMail({
      from: options.from,
      to: m.to,
      subject: m.subject ?? '',
      text: m.text,
      ...(m.html === undefined ? {} : { html: m.html }),
      messageId,
      headers: unsubscribeHeaders(m, options.unsubscribeMailto),
    });
  } catch (err) {
    return { kind: 'failed', reason: `the message could not be composed: ${describe(err)}` };
  }
  const session = {
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    ...(options.auth ? { auth: options.auth } : {}),
    timeoutMs: options.timeoutMs ?? 10_000,
  };
  const envelope = { from: composed.envelope.from || '', to: [...composed.envelope.to] };
  return smtpSend(session, envelope, composed.message as Buffer, messageId, handover);
}

/** `<delivery-id@sender-domain>`, with characters outside the safe set hex-escaped as `=XX`. */
export function messageIdFor(deliveryId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'tideflow.local';
  const local = Array.from(Buffer.from(deliveryId, 'utf8'))
    .map((b) =>
      /[A-Za-z0-9_-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `<${local}@${domain}>`;
}

/** RFC 2369 List-Unsubscribe with the RFC 8058 one-click marker, and the delivery id for bounces. */
function unsubscribeHeaders(m: OutgoingMessage, mailto: string | undefined): Record<string, string> {
  const targets = [`<${m.unsubscribeUrl}>`];
  if (mailto) targets.unshift(`<mailto:${mailto}?subject=${encodeURIComponent(`unsubscribe ${m.deliveryId}`)}>`);
  return {
    'List-Unsubscribe': targets.join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'X-Tideflow-Delivery': m.deliveryId,
  };
}
