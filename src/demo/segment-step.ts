import { explainProfile } from '../evaluate/explain-profile.js';
import { segmentMembers, sweepSegments } from '../evaluate/sweep-segments.js';
import { leafText, valueText } from '../rules/condition-text.js';
import type { SegmentOutcome } from '../rules/engine.js';
import { grouped } from './summary-format.js';
import type { DemoStep } from './steps.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';
import { formatInstant } from '../domain/time-format.js';

/** The segment the demo explains: the playbook's canonical example (DOMAIN.md, step 5). */
export const CANONICAL_SEGMENT = 'old-redeemed-strong-intent-bond';

/** How many members of the canonical segment are read to pick the top ones from. */
const CANDIDATES = 200;
const SHOWN = 3;

function intentSeen(o: SegmentOutcome): number {
  const leaf = o.leaves.find((l) => l.fact === 'intentScore');
  return typeof leaf?.seen === 'number' ? leaf.seen : 0;
}

/**
 * Prints every shipped segment's size in one sweep, then the canonical segment's top members (by
 * intent score) with json-rules-engine's explanation of each condition.
 */
export function segmentStep(ports: EvaluatePorts): DemoStep {
  return {
    name: 'evaluate the segments',
    async run(run) {
      const now = run.options.now;
      const ids = [...ports.rules.segments.keys()];
      const sweep = await sweepSegments(ports, ids, { now });
      run.io.out('');
      run.io.out(`Segments at ${formatInstant(sweep.now, ports.tz)} (${grouped(sweep.scanned)} profiles read)`);
      for (const s of sweep.segments)
        run.io.out(`  ${s.segment.padEnd(34)} ${grouped(s.count).padStart(7)}  ${s.name}`);
      if (!ports.rules.segments.has(CANONICAL_SEGMENT)) return;
      const page = await segmentMembers(ports, CANONICAL_SEGMENT, { now, limit: CANDIDATES });
      const explained = [];
      for (const userId of page.members) {
        const e = await explainProfile(ports, userId, { now, segment: CANONICAL_SEGMENT });
        const outcome = e.segments[0];
        if (outcome) explained.push({ userId, outcome });
      }
      explained.sort((a, b) => intentSeen(b.outcome) - intentSeen(a.outcome) || a.userId.localeCompare(b.userId));
      run.io.out('');
      run.io.out(`Top members of ${CANONICAL_SEGMENT}, by intent score, and why they are in`);
      for (const { userId, outcome } of explained.slice(0, SHOWN)) {
        run.io.out(`  ${userId}`);
        for (const l of outcome.leaves)
          run.io.out(`    ${l.passed ? 'pass' : 'fail'}  ${leafText(l)}  (seen ${valueText(l.seen)})`);
      }
      if (explained.length === 0) run.io.out('  (no members at this time)');
    },
  };
}
