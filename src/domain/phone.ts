/**
 * Phone numbers as people write them, normalised to E.164. A mainland China mobile may be written
 * bare (11 digits), grouped by spaces or dashes, or with "+86" or "0086" in front; any other
 * country's number is taken in E.164 ("+" or "00", the country code, then the number).
 */

/**
 * How a phone number is written. No example number: error output is masked (domain/mask.ts), and
 * a whole example would be masked like a customer's number, leaving a hint that reads as a secret.
 */
export const PHONE_FORMAT =
  'a mainland China mobile (11 digits, the first two 13 to 19; with or without "+86" or "0086"; spaces, dashes, dots and brackets allowed) or an international E.164 number ("+" or "00", the country code, then the number)';

/** What a written phone number may hold: digits, a leading "+", and spaces, dashes, dots or brackets between. */
export const PHONE_CHARACTERS = /^\s*\(?\+?[\d\s().-]*$/;
export const BAD_CHARACTERS = 'has characters other than digits, a leading "+", spaces, dashes, dots and brackets';

export type PhoneParse = { ok: true; e164: string } | { ok: false; problem: string };

const MAINLAND = /^1[3-9]\d{9}$/;
const E164_DIGITS = /^[1-9]\d{6,14}$/;

/** `written` as E.164, or what is wrong with it (no digits of it are repeated). */
export function parsePhone(written: string): PhoneParse {
  const compact = written.trim().replace(/[\s().-]/g, '');
  if (compact === '') return fail('is empty');
  if (!/^\+?\d+$/.test(compact)) return fail(BAD_CHARACTERS);
  const international = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : null;
  if (international === null) return mainland(compact, 'it');
  if (international.startsWith('86')) return mainland(international.slice(2), 'after the country code 86 it');
  if (!E164_DIGITS.test(international)) {
    return fail(
      `an international number has 7 to 15 digits after the "+" and does not start with 0; this has ${international.length}`,
    );
  }
  return { ok: true, e164: `+${international}` };
}

function mainland(digits: string, subject: string): PhoneParse {
  if (digits.length !== 11) return fail(`a mainland mobile has 11 digits, but ${subject} has ${digits.length}`);
  if (!MAINLAND.test(digits))
    return fail(`a mainland mobile starts with 13 to 19, but ${subject} starts with ${digits.slice(0, 2)}`);
  return { ok: true, e164: `+86${digits}` };
}

function fail(problem: string): PhoneParse {
  return { ok: false, problem };
}
