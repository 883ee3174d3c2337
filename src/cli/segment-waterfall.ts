import type { Waterfall, WaterfallStep } from '../rules/waterfall.js';

const count = (n: number): string => n.toLocaleString('en-US');
const where = (at: string): string => at.replace(/^conditions\./, '');

/** The lines of `steps`, counted one after another from `entering` profiles. */
function cumulativeLines(steps: readonly WaterfallStep[], entering: number, depth: number): string[] {
  let left = entering;
  return steps.flatMap((s) => {
    const lines = stepLines(s, left, depth);
    left = s.passed;
    return lines;
  });
}

function stepLines(s: WaterfallStep, entering: number, depth: number): string[] {
  const indent = ' '.repeat(depth * 4);
  const of = s.mode === 'each' ? ` (each below: of the ${count(entering)} reaching it)` : '';
  const head = `${indent}${count(s.passed).padStart(9)}  ${where(s.at).padEnd(10)} ${s.text}${of}`;
  if (!s.steps) return [head];
  const children =
    s.mode === 'each'
      ? s.steps.flatMap((c) => stepLines(c, entering, depth + 1))
      : cumulativeLines(s.steps, entering, depth + 1);
  return [head, ...children];
}

/**
 * The waterfall as text: the population, then what is left after each condition in turn, so the
 * step where the count falls to 0 is the one that empties the segment.
 */
export function waterfallLines(w: Waterfall): string[] {
  return [
    '     left  after each condition in turn',
    `${count(w.population).padStart(9)}  profiles`,
    ...cumulativeLines(w.steps, w.population, 0),
  ];
}
