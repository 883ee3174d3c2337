import { z } from 'zod';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const PATTERN = /^([1-9]\d{0,4})([mhdw])$/;

/**
 * A length of time written as a positive whole number and one unit: `30m`, `2h`, `1d`, `2w`.
 * Strict on purpose: no spaces, no fractions, no combined units (`1d12h` is `36h`). A day is 24
 * hours of elapsed time, not a calendar day.
 */
export const Duration = z.string().regex(PATTERN, {
  message: 'a duration is a whole number and one unit m, h, d or w (e.g. "30m", "2h", "1d")',
});
export type Duration = z.infer<typeof Duration>;

/** Milliseconds in a Duration; throws on text the schema would reject. */
export function durationMs(text: string): number {
  const m = PATTERN.exec(text);
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
