import type { AddressInfo, Socket } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { ProviderEvent } from '../domain/provider-report.js';
import { assertNever } from '../errors.js';
import { modeSwitch, pushBounded } from './mode.js';
import { postReport, type ReportTarget } from './report-post.js';

/**
 * A local SMTP server on 127.0.0.1 that keeps what it receives (parsed, with every header) and can
 * be told to fail the way real relays do.
 */

export type SmtpFailure =
  /** `451` after the message data: a transient refusal. */
  | 'reject-temporary'
  /** `550` after the message data: a permanent refusal. */
  | 'reject-permanent'
  /** `550` to RCPT TO: no such mailbox. */
  | 'reject-recipient'
  /** Closes the connection at RCPT TO, before any message data. */
  | 'drop-at-recipient'
  /** Never answers RCPT TO: the client gives up before any message data. */
  | 'hang-at-recipient'
  /** Reads the whole message, then closes the connection without a reply. */
  | 'drop-after-data'
  /** Reads the whole message and never replies. */
  | 'hang-after-data';

export interface ReceivedEmail {
  from: string;
  to: string[];
  /** Header values by lower-case name; repeated headers keep their first value. */
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  text: string;
  html?: string;
  /** How the server answered: kept messages were accepted, or taken and then left unanswered. */
  reply: 'accepted' | 'dropped' | 'hung';
}

export interface SmtpReceiverOptions {
  /** Require AUTH with these credentials; without it any client may send. */
  auth?: { user: string; pass: string };
  /** Messages kept in `received`. @defaultValue 10000 */
  limit?: number;
  /**
   * Where delivery reports go (`<tideflow>/v1/webhooks/email`): each accepted message carrying an
   * `X-Tideflow-Delivery` header is reported `delivered`, as an email provider's event webhook does.
   */
  reports?: ReportTarget;
  /** Called with each message accepted (the sandbox keeps them). */
  onReceive?: (email: ReceivedEmail) => void;
}

export interface SmtpReceiver {
  host: '127.0.0.1';
  port: number;
  /** Messages the server took: accepted, dropped or hung after their data (refused ones are not kept). */
  received: ReceivedEmail[];
  setMode(mode: SmtpFailure | 'accept', times?: number): void;
  /** Resolves once every delivery report sent so far has been answered. */
  reported(): Promise<void>;
  close(): Promise<void>;
}

type Reply = (err?: Error | null) => void;

export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const received: ReceivedEmail[] = [];
  const mode = modeSwitch<SmtpFailure>();
  const sockets = new Map<number, Socket>();
  // The RCPT TO answer decides the fate of the whole message, so the mode is taken once per message.
  const pending = new Map<string, ReturnType<typeof mode.take>>();
  let reports: Promise<number>[] = [];
  const keep = async (
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    reply: ReceivedEmail['reply'],
  ): Promise<void> => {
    const email = await parse(stream, session, reply);
    pushBounded(received, email, options.limit ?? 10_000);
    if (reply !== 'accepted') return;
    options.onReceive?.(email);
    const deliveryId = email.headers['x-tideflow-delivery'];
    if (options.reports && deliveryId) reports.push(postReport(options.reports, delivered(email, deliveryId)));
  };
  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.auth,
    size: 1024 * 1024,
    maxClients: 100,
    closeTimeout: 100,
    logger: false,
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      callback(
        ok ? null : smtpError('Invalid username or password', 535),
        ok ? { user: auth.username ?? '' } : undefined,
      );
    },
    onMailFrom(_address, session, callback) {
      pending.set(session.id, mode.take());
      callback();
    },
    onRcptTo(_address, session, callback) {
      const current = pending.get(session.id);
      if (current === 'drop-at-recipient') return void sockets.get(session.remotePort)?.destroy();
      if (current === 'hang-at-recipient') return;
      callback(current === 'reject-recipient' ? smtpError('No such user here', 550) : null);
    },
    onData(stream, session, callback: Reply) {
      const current = pending.get(session.id) ?? 'accept';
      pending.delete(session.id);
      respond(current, stream, session, callback, keep, (s) => sockets.get(s.remotePort)?.destroy());
    },
  });
  // Clients that die mid-session (a killed sender) reset their connection; the server carries on.
  server.on('error', () => undefined);
  server.server.on('connection', (s: Socket) => {
    const port = s.remotePort ?? 0;
    sockets.set(port, s);
    s.on('close', () => sockets.delete(port));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    received,
    setMode: (m, times) => mode.set(m, times),
    async reported() {
      while (reports.length > 0) {
        const now = reports;
        reports = [];
        await Promise.all(now);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets.values()) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function delivered(email: ReceivedEmail, deliveryId: string): ProviderEvent {
  return {
    id: `${email.messageId || deliveryId}-delivered`.slice(0, 200),
    type: 'delivered',
    deliveryId,
    ...(email.messageId ? { providerId: email.messageId } : {}),
    ...(email.to[0] ? { recipient: email.to[0] } : {}),
  };
}

function respond(
  current: SmtpFailure | 'accept',
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  callback: Reply,
  keep: (stream: SMTPServerDataStream, session: SMTPServerSession, reply: ReceivedEmail['reply']) => Promise<void>,
  drop: (session: SMTPServerSession) => void,
): void {
  switch (current) {
    case 'accept':
      return void keep(stream, session, 'accepted').then(
        () => callback(),
        (err: Error) => callback(smtpError(err.message, 451)),
      );
    case 'drop-after-data':
      return void keep(stream, session, 'dropped').finally(() => drop(session));
    case 'hang-after-data':
      return void keep(stream, session, 'hung');
    case 'reject-temporary':
    case 'reject-permanent':
    case 'reject-recipient':
    case 'drop-at-recipient':
    case 'hang-at-recipient':
      stream.on('end', () =>
        callback(
          current === 'reject-temporary' ? smtpError('Try again later', 451) : smtpError('Message rejected', 550),
        ),
      );
      return void stream.resume();
    default:
      return assertNever(current);
  }
}

async function parse(
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  reply: ReceivedEmail['reply'],
): Promise<ReceivedEmail> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const mail = await PostalMime.parse(Buffer.concat(chunks));
  const headers: Record<string, string> = {};
  for (const h of mail.headers) headers[h.key] ??= h.value;
  const { mailFrom, rcptTo } = session.envelope;
  const email: ReceivedEmail = {
    from: mailFrom ? mailFrom.address : '',
    to: rcptTo.map((r) => r.address),
    headers,
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? '',
    text: mail.text ?? '',
    reply,
  };
  if (mail.html) email.html = mail.html;
  return email;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}
