import type { Campaign } from '../domain/campaign.js';
import type { Condition, Segment } from '../rules/condition.js';
import { prepareEvaluation } from './prepare-evaluation.js';
import type { Audience } from '../ports/audience.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';

/**
 * A campaign's audience as a segment of its own: members of the campaign's segment that also meet
 * its conditions. Its id cannot clash with a segment file's (ids of files are kebab-case).
 */
export function audienceSegment(c: Campaign): Segment {
  const member: Condition = { fact: 'inSegment', params: { segment: c.segment }, operator: 'equal', value: true };
  const conditions: Condition = c.conditions ? { all: [member, c.conditions as unknown as Condition] } : member;
  return { id: `@campaign:${c.id}`, name: c.name, conditions };
}

/**
 * The audience through the segment sweep: compiled once per evaluation, read in user id order
 * (so chunks come out the same on a re-run), narrowed by the prefilter, decided by the compiled
 * rules.
 */
export function sweepAudience(ports: EvaluatePorts): Audience {
  return {
    async *members(c, now) {
      const e = await prepareEvaluation(ports, [audienceSegment(c)], now);
      const target = e.targets[0];
      if (!target) return;
      const plan = e.planner.plan(target.segment);
      const query = { fields: plan.fields, ordered: true, ...(plan.prefilter ? { filter: plan.prefilter } : {}) };
      for await (const batch of ports.reader.scan(query)) {
        for (const profile of batch) if (target.test(e.program.row(profile, e.ctx))) yield profile._id;
      }
    },
    async includes(c, profile, now) {
      const e = await prepareEvaluation(ports, [audienceSegment(c)], now);
      return e.targets[0]?.test(e.program.row(profile, e.ctx)) ?? false;
    },
  };
}
