/**
 * Masking of what logs must never hold: phone numbers, email addresses, push tokens and API keys.
 * Every line Tideflow logs (the API's error reports, worker and CLI messages on stderr) passes
 * through `maskContact`; command output on stdout (the answer an operator asked for) does not.
 */

/** An API key (`tfk_<id>_<secret>`): the id stays, so a log still says which key it was. */
const API_KEY = /\b(tfk_[a-z0-9]{8}_)[A-Za-z0-9_-]+/g;
/** A bearer credential in a header echoed into a message. */
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
/**
 * An email address: a quoted local part (`"jane doe"@…`) or a run of the characters addresses use
 * (apostrophes, `!#$&*?^~` included; not `=` or `/`, so `to=` and paths stay readable), then `@`
 * or its URL encoding `%40`, then a domain.
 */
const EMAIL = /(?:"((?:[^"\\\r\n]|\\.)+)"|([A-Za-z0-9._%+'!#$&*?^~-]+))(@|%40)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/gi;
/** A phone number URL-encoded in a query or form (`To=%2B8613800138000`): the `+` as `%2B`. */
const ENCODED_PHONE = /%2B(\d{7,15})(?!\d)/gi;
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
    .replace(EMAIL, maskEmail)
    .replace(ENCODED_PHONE, (_m, digits: string) => `%2B${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`)
    .replace(LONG_TOKEN, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? `${run.slice(0, 4)}***` : run))
    .replace(PHONE, maskPhone);
}

/** Keeps the first character of the local part and the domain: `l***@example.com`. */
function maskEmail(
  _m: string,
  quoted: string | undefined,
  plain: string | undefined,
  at: string,
  domain: string,
): string {
  const first = (quoted ?? plain ?? '').charAt(0);
  return `${first === '%' ? '' : first}***${at}${domain}`;
}

/** Keeps a leading `+` and the last four digits: `+8613800138000` → `+*********8000`. */
function maskPhone(phone: string): string {
  if (DAY.test(phone)) return phone;
  const digits = phone.replace(/\D/g, '');
  return `${phone.startsWith('+') ? '+' : ''}${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/**
 * `text` with the given contact points masked wherever they appear (as they are or URL-encoded),
 * then every shape `maskContact` knows: for text that may echo a contact point whose shape masking
 * cannot recognise, such as a short push token in a provider's error.
 */
export function maskKnown(text: string, contacts: readonly string[]): string {
  let out = text;
  for (const c of contacts) {
    if (c.length < 4) continue;
    const shaped = maskContact(c);
    const masked = shaped === c ? `${c.slice(0, 4)}***` : shaped;
    for (const form of new Set([c, encodeURIComponent(c)])) out = out.split(form).join(masked);
  }
  return maskContact(out);
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
