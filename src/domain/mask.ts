/**
 * Masking of what logs must never hold: phone numbers, email addresses, push tokens and API keys.
 * Every line Tideflow logs (the API's error reports, worker and CLI messages on stderr) passes
 * through `maskContact`; command output on stdout (the answer an operator asked for) does not.
 */

/** An API key (`tfk_<id>_<secret>`): the id stays, so a log still says which key it was. */
const API_KEY = /\b(tfk_[a-z0-9]{8}_)[A-Za-z0-9_-]+/g;
/** A bearer credential in a header echoed into a message. */
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
/**
 * 7 to 15 digits, optionally after `+` and grouped by single spaces or dashes, standing alone
 * (not part of a word, an address such as 127.0.0.1, a time or a file position).
 */
const PHONE = /(?<![\w+]|\d[.:/-])\+?\d(?:[ -]?\d){6,14}(?!\w|[.:/-]\d)/g;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * A push token: a run of at least 40 token characters mixing letters and digits (FCM and APNs
 * tokens are 64–200); shorter runs such as ids, dates and hashes of ids are left alone.
 */
const LONG_TOKEN = /[A-Za-z0-9_-]{40,}/g;

/** `text` with every phone number, email address, push token and API key masked. */
export function maskContact(text: string): string {
  return text
    .replace(API_KEY, '$1***')
    .replace(BEARER, '$1***')
    .replace(EMAIL, '$1***@$2')
    .replace(LONG_TOKEN, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? `${run.slice(0, 4)}***` : run))
    .replace(PHONE, maskPhone);
}

/** Keeps a leading `+` and the last four digits: `+8613800138000` → `+*********8000`. */
function maskPhone(phone: string): string {
  if (DAY.test(phone)) return phone;
  const digits = phone.replace(/\D/g, '');
  return `${phone.startsWith('+') ? '+' : ''}${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** An error (its stack when it has one) or any thrown value as one masked log text. */
export function logText(err: unknown): string {
  const text =
    err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : typeof err === 'string' ? err : safeJson(err);
  return maskContact(text);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
