import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { Mail, NodemailerError, StreamSentMessageInfo, StreamTransportOptions } from 'nodemailer';
import type { Channel, Handover, OutgoingMessage, SendResult } from '../ports/channel.js';
import { describe } from './outcome.js';

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
 * handover is recorded, so a sender that died before it provably sent nothing.
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

/**
 * The message is composed whole first, then sent as is. One transport per message: nodemailer
 * opens a connection per message anyway (no pool), and a transport of its own lets the logger
 * below belong to this message alone.
 */
async function sendEmail(
  options: EmailOptions,
  composer: Composer,
  m: OutgoingMessage,
  handover?: Handover,
): Promise<SendResult> {
  let composed: StreamSentMessageInfo;
  try {
    composed = await composer.sendMail({
      from: options.from,
      to: m.to,
      subject: m.subject ?? '',
      text: m.text,
      ...(m.html === undefined ? {} : { html: m.html }),
      messageId: messageIdFor(m.deliveryId, options.from),
      headers: unsubscribeHeaders(m, options.unsubscribeMailto),
    });
  } catch (err) {
    return { kind: 'failed', reason: `the message could not be composed: ${describe(err)}` };
  }
  const progress = { bodySent: false, handoverFailed: undefined as unknown };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    ...(options.auth ? { auth: options.auth } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: bodyWatcher(progress),
  });
  const message = composed.message as Buffer;
  const raw = handover ? heldBack(message, handover, progress) : message;
  try {
    await transport.sendMail({ envelope: composed.envelope, raw });
    return { kind: 'sent', providerId: messageIdFor(m.deliveryId, options.from) };
  } catch (err) {
    if (progress.handoverFailed !== undefined)
      return { kind: 'retryable', reason: `not handed over: ${describe(progress.handoverFailed)}` };
    return classifySmtpError(err as NodemailerError, progress.bodySent);
  } finally {
    transport.close();
  }
}

/**
 * The message as a stream that ends only once `handover` has resolved: the SMTP client writes the
 * terminating dot when its source ends. If `handover` fails the stream fails, the client drops the
 * connection mid-DATA and the server discards the message.
 */
function heldBack(message: Buffer, handover: Handover, progress: { handoverFailed: unknown }): Readable {
  let pushed = false;
  return new Readable({
    read() {
      if (!pushed) {
        pushed = true;
        this.push(message);
        return;
      }
      handover().then(
        () => this.push(null),
        (err: unknown) => {
          progress.handoverFailed = err;
          this.destroy(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },
  });
}

/**
 * Whether the message body, with its terminating dot, went out. nodemailer reports it through its
 * logger (`tnx: 'message'` once the data stream has ended); its errors do not say which SMTP
 * phase failed, and after the body the server may already have accepted the message.
 */
function bodyWatcher(progress: { bodySent: boolean }): Record<string, (...args: unknown[]) => void> {
  const watch = (entry: unknown): void => {
    if (typeof entry === 'object' && entry !== null && (entry as { tnx?: unknown }).tnx === 'message')
      progress.bodySent = true;
  };
  return { trace: watch, debug: watch, info: watch, warn: watch, error: watch, fatal: watch };
}

/**
 * SMTP replies: 4xx is transient (retry), 5xx permanent (nodemailer's `permanent` flag, which keeps
 * 503 transient as RFC 5321 intends). No reply: if the body had gone out the server may have taken
 * the message (unknown); before that nothing was delivered (retry). Anything else (bad address,
 * message nodemailer cannot build) fails for good.
 */
export function classifySmtpError(err: NodemailerError, bodySent: boolean): SendResult {
  const reason = describe(err);
  if (typeof err.responseCode === 'number') {
    return err.permanent ? { kind: 'failed', reason, code: String(err.responseCode) } : { kind: 'retryable', reason };
  }
  const connectionLost = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY'].includes(err.code ?? '');
  if (!connectionLost) return { kind: 'failed', reason, ...(err.code ? { code: err.code } : {}) };
  return bodySent
    ? { kind: 'unknown', reason: `connection lost after the message was sent: ${reason}` }
    : { kind: 'retryable', reason };
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
