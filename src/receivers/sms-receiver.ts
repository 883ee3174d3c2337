import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { authorizationMatches, json, listenLoopback } from './http-listener.js';
import { modeSwitch, pushBounded } from './mode.js';

/**
 * A local stand-in for Twilio's Messages API: enough of `POST /2010-04-01/Accounts/{sid}/Messages.json`
 * for the twilio SDK, with basic auth, Twilio-shaped answers and errors, and signed status callbacks.
 */

export type SmsFailure =
  /** 429, Twilio error 20429. */
  | 'throttle'
  /** 400, Twilio error 21610: the recipient replied STOP. */
  | 'unsubscribed'
  /** 500, Twilio error 20500. */
  | 'error'
  /** Reads the request and never answers. */
  | 'hang'
  /** Reads the request and closes the connection without an answer. */
  | 'drop';

export interface ReceivedSms {
  sid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  statusCallback?: string;
  createdAt: Date;
}

export interface SmsReceiverOptions {
  /** @defaultValue a fixed test SID, `AC` + 32 zeros */
  accountSid?: string;
  /** @defaultValue `test-auth-token` */
  authToken?: string;
  /**
   * Post a status callback with this status after each accepted message, or with the status this
   * function picks for it (`carrierStatus`: mostly delivered, a few undelivered or failed). @defaultValue none
   */
  autoReport?: 'delivered' | 'undelivered' | 'failed' | ((sms: ReceivedSms) => 'delivered' | 'undelivered' | 'failed');
  /** Called with each message accepted (the sandbox keeps them). */
  onReceive?: (sms: ReceivedSms) => void;
  /** Messages kept in `received`. @defaultValue 10000 */
  limit?: number;
}

export interface SmsReceiver {
  url: string;
  port: number;
  accountSid: string;
  authToken: string;
  received: ReceivedSms[];
  /** Status callbacks posted so far, with the HTTP status they got (0: no answer). */
  reports: { url: string; params: Record<string, string>; status: number }[];
  setMode(mode: SmsFailure | 'accept', times?: number): void;
  /** Posts a status callback for an accepted message, signed like Twilio's; resolves to the HTTP status. */
  report(sid: string, status: string): Promise<number>;
  /** Resolves once every automatic status callback posted so far has been answered. */
  reported(): Promise<void>;
  close(): Promise<void>;
}

const FAILURES: Record<'throttle' | 'unsubscribed' | 'error', { status: number; code: number; message: string }> = {
  throttle: { status: 429, code: 20429, message: 'Too Many Requests' },
  unsubscribed: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  error: { status: 500, code: 20500, message: 'Internal Server Error' },
};

export async function startSmsReceiver(options: SmsReceiverOptions = {}): Promise<SmsReceiver> {
  const accountSid = options.accountSid ?? `AC${'0'.repeat(32)}`;
  const authToken = options.authToken ?? 'test-auth-token';
  const received: ReceivedSms[] = [];
  const reports: SmsReceiver['reports'] = [];
  const mode = modeSwitch<SmsFailure>();
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  let pending: Promise<number>[] = [];

  const report = async (sid: string, status: string): Promise<number> => {
    const sms = received.find((m) => m.sid === sid);
    if (!sms?.statusCallback) throw new Error(`no status callback for message ${sid}`);
    const params = {
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: status,
      SmsStatus: status,
      To: sms.to,
      From: sms.from ?? '',
    };
    const got = await postSigned(sms.statusCallback, params, authToken);
    pushBounded(reports, { url: sms.statusCallback, params, status: got }, options.limit ?? 10_000);
    return got;
  };

  const listener = await listenLoopback((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== path || (req.method !== 'POST' && req.method !== 'GET'))
      return twilioError(res, 404, 20404, 'The requested resource was not found');
    if (!authorizationMatches(req.headers.authorization, basic(accountSid, authToken)))
      return twilioError(res, 401, 20003, 'Authenticate');
    if (req.method === 'GET') return json(res, 200, listPage(received, url, accountSid));
    const form = new URLSearchParams(body);
    const to = form.get('To');
    const text = form.get('Body');
    if (!to || !text) return twilioError(res, 400, 21602, 'Message body and To are required');
    const current = mode.take();
    if (current === 'hang') return;
    if (current === 'drop') return void req.socket.destroy();
    if (current !== 'accept')
      return twilioError(res, FAILURES[current].status, FAILURES[current].code, FAILURES[current].message);
    const sms = accepted(form, to, text);
    pushBounded(received, sms, options.limit ?? 10_000);
    options.onReceive?.(sms);
    json(res, 201, messageResource(sms, accountSid));
    const auto = typeof options.autoReport === 'function' ? options.autoReport(sms) : options.autoReport;
    if (auto && sms.statusCallback) pending.push(report(sms.sid, auto).catch(() => 0));
  });
  return {
    url: listener.url,
    port: listener.port,
    accountSid,
    authToken,
    received,
    reports,
    report,
    async reported() {
      while (pending.length > 0) {
        const now = pending;
        pending = [];
        await Promise.all(now);
      }
    },
    close: listener.close,
    setMode: (m, times) => mode.set(m, times),
  };
}

function accepted(form: URLSearchParams, to: string, body: string): ReceivedSms {
  const sms: ReceivedSms = { sid: `SM${randomBytes(16).toString('hex')}`, to, body, createdAt: new Date() };
  const from = form.get('From');
  const service = form.get('MessagingServiceSid');
  const callback = form.get('StatusCallback');
  if (from) sms.from = from;
  if (service) sms.messagingServiceSid = service;
  if (callback) sms.statusCallback = callback;
  return sms;
}

/**
 * `GET Messages.json`: one page of the messages accepted, newest first, filtered by `To` and
 * `From` like Twilio's list (date filters and paging past the first page are not served).
 */
function listPage(received: readonly ReceivedSms[], url: URL, accountSid: string): Record<string, unknown> {
  const to = url.searchParams.get('To');
  const from = url.searchParams.get('From');
  const size = Math.min(1000, Math.max(1, Number(url.searchParams.get('PageSize') ?? 50) || 50));
  const matching = received.filter((m) => (!to || m.to === to) && (!from || m.from === from));
  const page = matching
    .slice(-size)
    .reverse()
    .map((m) => messageResource(m, accountSid));
  return {
    messages: page,
    page: 0,
    page_size: size,
    start: 0,
    end: Math.max(0, page.length - 1),
    first_page_uri: `${url.pathname}${url.search}`,
    next_page_uri: null,
    previous_page_uri: null,
    uri: `${url.pathname}${url.search}`,
  };
}

function messageResource(sms: ReceivedSms, accountSid: string): Record<string, unknown> {
  const now = sms.createdAt.toUTCString().replace('GMT', '+0000');
  return {
    sid: sms.sid,
    account_sid: accountSid,
    to: sms.to,
    from: sms.from ?? null,
    messaging_service_sid: sms.messagingServiceSid ?? null,
    body: sms.body,
    status: 'queued',
    num_segments: String(Math.ceil(sms.body.length / 70)),
    num_media: '0',
    direction: 'outbound-api',
    api_version: '2010-04-01',
    price: null,
    price_unit: 'USD',
    error_code: null,
    error_message: null,
    date_created: now,
    date_updated: now,
    date_sent: null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sms.sid}.json`,
  };
}

function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
  json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** Twilio's webhook signature: HMAC-SHA1 over the URL followed by the sorted form fields. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

async function postSigned(url: string, params: Record<string, string>, authToken: string): Promise<number> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}
