import { parseArgs } from 'node:util';
import { openTideflow } from '../main.js';
import { explainProfile, type Explanation } from '../evaluate/explain-profile.js';
import { leafText, valueText } from '../rules/condition-text.js';
import { loadRuleSet } from '../rules/rule-set.js';
import type { Command, Io } from './command.js';
import { parseNowArg } from './now-arg.js';
import { formatInstant } from '../domain/time-format.js';
import { warnAboutNow } from './now-warnings.js';

function print(io: Io, e: Explanation, tz: string): void {
  io.out(`user ${e.userId} at ${formatInstant(e.now, tz)}`);
  for (const s of e.segments) {
    io.out('');
    io.out(`${s.member ? 'IN ' : 'OUT'}  ${s.segment}  ${s.name}`);
    for (const l of s.leaves) {
      io.out(`     ${l.passed ? 'pass' : 'fail'}  ${leafText(l)}  (seen ${valueText(l.seen)})`);
    }
  }
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'why a user is in or out of each segment: every condition, the value seen, pass or fail',
  usage: 'explain <userId> [--segment id] [--now ISO] [--rules DIR] [--json]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        segment: { type: 'string' },
        now: { type: 'string' },
        rules: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const [userId, ...extra] = positionals;
    if (!userId || extra.length > 0) {
      io.err(`usage: tideflow ${explainCommand.usage}`);
      return 1;
    }
    const now = parseNowArg(values.now);
    const rules = await loadRuleSet(values.rules ?? config.TIDEFLOW_RULES_DIR);
    const tf = await openTideflow(config, { rules, scoring: rules.scoring });
    try {
      await warnAboutNow(
        tf,
        now,
        io,
        [...tf.segments.rules.segments.values()].map((s) => s.conditions),
      );
      const e = await explainProfile(tf.segments, userId, {
        ...(now ? { now } : {}),
        ...(values.segment ? { segment: values.segment } : {}),
      });
      if (values.json) io.out(JSON.stringify(e, null, 2));
      else print(io, e, config.TIDEFLOW_TZ);
      return 0;
    } finally {
      await tf.close();
    }
  },
};
