import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ValidationError } from '../errors.js';
import { openTideflow } from '../main.js';
import { sweepSegments, type SegmentCount, type SweepResult } from '../evaluate/sweep-segments.js';
import type { Segment } from '../rules/condition.js';
import { leafText } from '../rules/condition-text.js';
import { loadRuleSet, type RuleSet } from '../rules/rule-set.js';
import { checkSegmentFiles } from '../rules/segment-files.js';
import type { Command, Io } from './command.js';
import { parseNowArg } from './now-arg.js';
import { waterfallLines } from './segment-waterfall.js';
import { formatInstant } from '../domain/time-format.js';
import { warnAboutNow } from './now-warnings.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** A segment named on the command line: a rule-set id, or a file checked against the rule set. */
async function target(arg: string, rules: RuleSet): Promise<string | Segment> {
  if (!arg.endsWith('.json')) return arg;
  const text = await readFile(arg, 'utf8');
  const { segments, issues } = checkSegmentFiles([{ file: arg, text }], rules.scoring, new Set(rules.segments.keys()));
  if (issues.length > 0) throw new ValidationError(`${arg} is invalid`, issues);
  const [segment] = segments.values();
  if (!segment) throw new ValidationError(`${arg} holds no segment`);
  return segment;
}

function print(io: Io, result: SweepResult, s: SegmentCount, members: boolean, tz: string): void {
  io.out(`${s.segment}  ${s.name}`);
  const of = result.population !== undefined ? ` of ${count(result.population)} profiles` : '';
  io.out(`at ${formatInstant(result.now, tz)}: ${count(s.count)} member${s.count === 1 ? '' : 's'}${of}`);
  io.out('');
  io.out('   admits  condition');
  for (const l of s.leaves ?? [])
    io.out(`${count(l.passed).padStart(9)}  ${l.at.replace(/^conditions\./, '').padEnd(10)} ${leafText(l)}`);
  if (s.waterfall) {
    io.out('');
    for (const line of waterfallLines(s.waterfall)) io.out(line);
  }
  if (members) {
    io.out('');
    for (const id of s.members ?? []) io.out(id);
  }
}

export const segmentCommand: Command = {
  name: 'segment',
  summary: 'evaluate one segment over all profiles: count, per-condition counts, the waterfall, members',
  usage: 'segment <id|file.json> [--now ISO] [--rules DIR] [--members] [--json]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        now: { type: 'string' },
        rules: { type: 'string' },
        members: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    const [arg, ...extra] = positionals;
    if (!arg || extra.length > 0) {
      io.err(`usage: tideflow ${segmentCommand.usage}`);
      return 1;
    }
    const now = parseNowArg(values.now);
    const rules = await loadRuleSet(values.rules ?? config.TIDEFLOW_RULES_DIR);
    const segment = await target(arg, rules);
    const tf = await openTideflow(config, { rules, scoring: rules.scoring });
    try {
      const conditions = typeof segment === 'string' ? rules.segments.get(segment)?.conditions : segment.conditions;
      await warnAboutNow(tf, now, io, [conditions]);
      const members = values.members ?? false;
      const result = await sweepSegments(tf.segments, [segment], {
        ...(now ? { now } : {}),
        members,
        leafCounts: true,
      });
      const [s] = result.segments;
      if (!s) return 1;
      if (values.json) io.out(JSON.stringify({ now: result.now, population: result.population, ...s }, null, 2));
      else print(io, result, s, members, config.TIDEFLOW_TZ);
      return 0;
    } finally {
      await tf.close();
    }
  },
};
