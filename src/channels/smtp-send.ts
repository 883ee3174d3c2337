import { Readable } from 'node:stream';
import type { NodemailerError } from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Handover, SendResult } from '../ports/channel.js';
import { describe } from './outcome.js';

/**
 * One message over one SMTP session, with nodemailer's SMTP connection driven step by step
 * (connect, STARTTLS when offered, AUTH, MAIL FROM, RCPT TO, DATA) rather than through its
 * transport: the transport starts reading the message before it even connects, so a handover
 * announced at the end of the message would be recorded before the server accepted the
 * recipient. Here the message is read only after the server's `354` to DATA, and its end (the dot
 * after which the server may take it) waits for the handover. So a refusal at any step before it
 * is a plain failure or retry, and only a silence after the dot leaves the outcome unknown.
 */

export interface SmtpSession {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Connection, greeting and per-reply timeout. */
  timeoutMs: number;
}

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

/** Where a session got to: the dot that ends DATA is the point after which the server may have the message. */
interface Progress {
  dotSent: boolean;
  handoverFailed?: unknown;
}

/** Sends `message` in one session; `sent` carries `providerId` (the caller's Message-ID). */
export async function smtpSend(
  session: SmtpSession,
  envelope: SmtpEnvelope,
  message: Buffer,
  providerId: string,
  handover?: Handover,
): Promise<SendResult> {
  const progress: Progress = { dotSent: false };
  const conn = new SMTPConnection({
    host: session.host,
    port: session.port,
    secure: session.secure,
    connectionTimeout: session.timeoutMs,
    greetingTimeout: session.timeoutMs,
    socketTimeout: session.timeoutMs,
  });
  try {
    await transaction(conn, session, envelope, heldBack(message, handover, progress));
    return { kind: 'sent', providerId };
  } catch (err) {
    if (progress.handoverFailed !== undefined)
      return { kind: 'retryable', reason: `not handed over: ${describe(progress.handoverFailed)}` };
    return classifySmtpError(err as NodemailerError, progress.dotSent);
  } finally {
    conn.close();
  }
}

/** Connects, logs in if asked to and sends; resolves once the server accepted the message. */
function transaction(
  conn: SMTPConnection,
  session: SmtpSession,
  envelope: SmtpEnvelope,
  body: Readable,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      // The session must not go on to the dot: dropping it mid-DATA makes the server discard the message.
      conn.close();
      reject(err);
    };
    // Every error, not just the first: one with no listener would take the process down.
    conn.on('error', fail);
    const send = (): void =>
      conn.send(envelope, body, (err) => {
        if (err) return fail(err);
        settled = true;
        resolve();
      });
    conn.connect((err) => {
      if (err) return fail(err);
      if (!session.auth) return send();
      conn.login({ user: session.auth.user, pass: session.auth.pass }, (loginErr) =>
        loginErr ? fail(loginErr) : send(),
      );
    });
  });
}

/**
 * The message as a stream that ends only once `handover` has resolved: the SMTP connection writes
 * the terminating dot when its source ends, and reads its source only after the server's go-ahead
 * to DATA. If `handover` fails the stream fails, the connection is dropped mid-DATA and the server
 * discards the message.
 */
function heldBack(message: Buffer, handover: Handover | undefined, progress: Progress): Readable {
  let pushed = false;
  const end = (stream: Readable): void => {
    progress.dotSent = true;
    stream.push(null);
  };
  return new Readable({
    read() {
      if (!pushed) {
        pushed = true;
        this.push(message);
        return;
      }
      if (!handover) return end(this);
      handover().then(
        () => end(this),
        (err: unknown) => {
          progress.handoverFailed = err;
          this.destroy(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },
  });
}

/**
 * SMTP replies: 4xx is transient (retry), 5xx permanent (nodemailer's `permanent` flag, which keeps
 * 503 transient as RFC 5321 intends). No reply: if the dot that ends DATA had gone out the server
 * may have taken the message (unknown); before that nothing was delivered (retry). Anything else
 * (bad address, message nodemailer cannot build) fails for good.
 */
export function classifySmtpError(err: NodemailerError, dotSent: boolean): SendResult {
  const reason = describe(err);
  if (typeof err.responseCode === 'number') {
    return err.permanent ? { kind: 'failed', reason, code: String(err.responseCode) } : { kind: 'retryable', reason };
  }
  const connectionLost = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY'].includes(err.code ?? '');
  if (!connectionLost) return { kind: 'failed', reason, ...(err.code ? { code: err.code } : {}) };
  return dotSent
    ? { kind: 'unknown', reason: `connection lost after the message was sent: ${reason}` }
    : { kind: 'retryable', reason };
}
