/**
 * How long an SMS is and in how many parts it goes, counted as carriers and Twilio count: a body
 * that is all GSM-7 (03.38 basic set, plus the extension table whose characters take two septets)
 * fits 160 septets in one part and 153 per part once split (7 go to the concatenation header); any
 * other character makes the whole body UCS-2, 70 UTF-16 units in one part and 67 per part, where a
 * character outside the BMP (an emoji) is a surrogate pair of two units. A part never ends between
 * the two halves of an escape sequence or of a surrogate pair.
 */
export interface SmsLength {
  encoding: 'GSM-7' | 'UCS-2';
  /** The length carriers count: septets (GSM-7) or UTF-16 units (UCS-2). */
  length: number;
  /** Parts the carrier bills; an empty body is still one message. */
  parts: number;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Sent as the escape septet and one more: two septets each. */
const GSM_EXTENSION = '\f^{}\\[~]|€';
const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

const LIMITS = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
} as const;

/** The units each character (code point) takes, or undefined when `text` is not all GSM-7. */
function gsmUnits(chars: readonly string[]): number[] | undefined {
  const units: number[] = [];
  for (const ch of chars) {
    if (BASIC.has(ch)) units.push(1);
    else if (EXTENSION.has(ch)) units.push(2);
    else return undefined;
  }
  return units;
}

/** Parts of `perPart` units, filled in order without splitting a character. */
function partsOf(units: readonly number[], perPart: number): number {
  let parts = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > perPart) {
      parts += 1;
      used = 0;
    }
    used += u;
  }
  return parts;
}

/** The encoding, length and part count of an SMS body. */
export function smsLength(text: string): SmsLength {
  const chars = [...text];
  const gsm = gsmUnits(chars);
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  const units = gsm ?? chars.map((ch) => ch.length);
  const length = units.reduce((n, u) => n + u, 0);
  const limit = LIMITS[encoding];
  return { encoding, length, parts: length <= limit.single ? 1 : partsOf(units, limit.perPart) };
}
