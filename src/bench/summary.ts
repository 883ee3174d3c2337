import { machineLine } from './machine.js';
import type { BenchResult, Comparison, Measure } from './result-shapes.js';

/** The markdown summary of a run: one table per benchmark, the machine, and what missed its target. */

function value(m: Measure): string {
  const n = m.median >= 1000 ? Math.round(m.median).toLocaleString('en-US') : String(m.median);
  return `${n} ${m.unit}`;
}

function peaks(c: Comparison): string {
  const p = c.peaks;
  if (!p) return '';
  return p.serverPeakMb !== undefined ? `${p.nodePeakMb} / ${p.serverPeakMb}` : `${p.nodePeakMb} / –`;
}

function verdict(c: Comparison): string {
  if (!c.target) return '–';
  return c.target.met ? `${c.target.text} ✓` : `${c.target.text} ✗`;
}

function table(r: BenchResult): string[] {
  const lines = [
    '| tier | subject | median | reference | median | ratio | target | peak RSS MB (node / server) |',
    '| --- | --- | ---: | --- | ---: | ---: | --- | ---: |',
  ];
  for (const c of r.comparisons) {
    lines.push(
      `| ${c.tier ?? '–'} | ${c.subject.name} | ${value(c.subject)} | ${c.reference.name} | ${value(c.reference)} | ` +
        `${c.ratio}× <br><sub>${c.ratioOf}</sub> | ${verdict(c)} | ${peaks(c)} |`,
    );
  }
  return lines;
}

function misses(r: BenchResult): string[] {
  return r.comparisons
    .filter((c) => c.target && !c.target.met)
    .map(
      (c) =>
        `- **missed** ${c.tier ? `(${c.tier}) ` : ''}${c.subject.name} vs ${c.reference.name}: ${c.target?.gap ?? ''}`,
    );
}

export function benchSection(r: BenchResult): string[] {
  return [
    `## ${r.title} (\`${r.name}\`)`,
    '',
    `Targets: ${r.targets.join('; ')}.`,
    '',
    ...table(r),
    '',
    ...misses(r),
    ...r.notes.filter((n) => n.startsWith('**why**')).map((n) => `- ${n}`),
    ...r.notes.filter((n) => !n.startsWith('**why**')).map((n) => `- ${n}`),
    '',
  ];
}

/** When and on what code a benchmark ran, with the machine's load meanwhile. */
function runLine(r: BenchResult): string {
  const code = r.code ? `commit ${r.code.commit}${r.code.dirty ? ' with uncommitted changes' : ''}` : 'code unknown';
  const load = r.machine.loadAtEnd ? `, load ${r.machine.loadAtStart[0]} → ${r.machine.loadAtEnd[0]}` : '';
  return `${r.name} ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC (${code}${load})`;
}

export function summaryMarkdown(results: readonly BenchResult[], title: string): string {
  const first = results[0];
  if (!first) return `# ${title}\n\nNo results.\n`;
  const head = [
    `# ${title}`,
    '',
    `Machine: ${machineLine(first.machine)}.`,
    `Database: ${first.server ?? 'none'}. ${first.options.quick ? 'Quick' : 'Full'} suite, ${first.options.reps} repetitions (medians), seed ${first.options.seed}. ` +
      `Each benchmark's run: ${results.map(runLine).join('; ')}.`,
    '',
    'Ratios come from the subject and its reference measured in the same process run, interleaved; on a shared, ' +
      'loaded machine they hold where absolute numbers do not. Load averages above 2 on this 2-core machine mean ' +
      'other work took most of the CPU: absolute numbers are lower bounds of what the code does alone. The peak RSS ' +
      'column of in-process benchmarks includes what the process held before (resident memory rarely shrinks); the ' +
      'memory benchmark measures each phase in a fresh process.',
    '',
  ];
  return [...head, ...results.flatMap(benchSection)].join('\n');
}
