import { describeType } from './check-value.js';
import { FACTS } from './fact-catalog.js';
import { PARAM_KINDS } from './fact-params.js';
import type { FactDefinition, FactGroup } from './fact-types.js';
import { OPERATORS } from './operators.js';

/**
 * docs/rules.md, generated from the fact catalog and the operator table so the reference can never
 * drift from what validation and evaluation do (`tideflow validate --write-docs docs/rules.md`).
 */

const GROUPS: Record<FactGroup, string> = {
  profile: 'Profile fields and attributes',
  lifecycle: 'Lifecycle',
  activity: 'Windowed activity metrics',
  consent: 'Consent',
  rank: 'Rank facts (computed once per sweep over all profiles)',
  segment: 'Segment references',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeText(f: FactDefinition): string {
  if (f.type.kind === 'strings') return 'a list of strings';
  if (f.type.kind === 'attribute') return 'the attribute: a string, number, boolean or null; undefined when absent';
  return describeType(f.type);
}

function paramsDoc(f: FactDefinition): string {
  const entries = Object.entries(f.params);
  const parts = entries.map(([name, d]) => {
    const dflt = d.default ? `, default ${d.defaultDoc ?? 'from scoring'}` : ', required';
    return `\`${name}\`: ${PARAM_KINDS[d.kind].doc}${dflt}`;
  });
  if (f.pathDepth) parts.push(`\`path\` (required): \`$.name\`, ${f.pathDepth} level`);
  return parts.length ? parts.join('; ') : '—';
}

function factTable(group: FactGroup): string[] {
  const rows = FACTS.filter((f) => f.group === group).map(
    (f) =>
      `| \`${f.name}\` | ${cell(paramsDoc(f))} | ${cell(typeText(f))} | ${cell(f.description)} | ${cell(f.pushdownDoc)} |`,
  );
  return [
    `### ${GROUPS[group]}`,
    '',
    '| fact | params | value | meaning | MongoDB prefilter |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

const INTRO = `# Rule language: facts and operators

<!-- Generated from src/rules/fact-catalog.ts and src/rules/operators.ts by
     \`tideflow validate --write-docs docs/rules.md\`; a test fails when it is out of date. -->

A segment is one JSON file in \`rules/segments/\`: \`{ "id", "name", "description", "conditions" }\`.
\`conditions\` is a [json-rules-engine](https://github.com/CacheControl/json-rules-engine) condition
tree: \`{ "all": [...] }\`, \`{ "any": [...] }\` or \`{ "not": {...} }\` at the root, nested freely, with
leaves \`{ "fact", "operator", "value", "params"?, "path"?, "name"? }\`. json-rules-engine defines what a
rule means (an empty \`all\` passes; an empty \`any\` also passes, so the checks refuse it); the
population sweep uses a compiled predicate that a property test holds to the engine's answers.

Every rule file is checked when it loads and by \`tideflow validate\`: unknown facts, operators,
params and param values, wrong value types, duplicate ids and references to missing segments are
errors naming the file and JSON path, with the closest known name as a hint. Editors can complete
segment files from \`rules/schema/segment.schema.json\` (add \`"$schema": "../schema/segment.schema.json"\`
to a file, or map \`rules/segments/*.json\` to it in the editor's settings).

Windows are calendar days in the platform time zone (\`TIDEFLOW_TZ\`): a window of N days is the N
days ending with the day of \`now\`, both ends included. \`days\` may not exceed \`retentionDays\` in
\`rules/scoring.json\`, since older day buckets are pruned.

The prefilter column says how a leaf narrows the MongoDB query that selects candidates: a superset
of the members, decided exactly afterwards. \`not\` never narrows; \`any\` narrows only when every
branch does. Windowed facts narrow through \`lastAt\`, which ingest keeps at the latest event time
of each type.

## Using segments

- \`tideflow validate [--rules DIR]\`: checks scoring, segments, templates and campaigns; exit 1 with
  one line per problem, \`file: JSON path: message (hint)\`.
- \`tideflow segment <id|file.json> [--now ISO] [--members] [--json]\`: the member count, how many
  profiles each condition admits on its own, and the **waterfall**: the population, then the
  profiles left after condition 1, after 1 and 2, and so on, so the step where the count falls to 0
  is the condition (in that combination) that empties the segment. A nested \`all\` continues the
  list; an \`any\` or \`not\` group is one step, with its children nested, each counted over the
  profiles that reached the group. A file is checked against the rules folder and may refer to its
  segments.
- \`tideflow explain <userId> [--segment id] [--now ISO] [--json]\`: in or out of each segment, with
  every condition, the value json-rules-engine saw (absent when the fact is missing) and pass/fail.
- HTTP: \`GET /v1/segments\`, \`GET /v1/segments/:id?now=\` (count, condition counts and \`waterfall\`),
  \`GET /v1/segments/:id/members?after=<userId>&limit=100\` (pages in user id order; pass \`next\`
  as \`after\`), \`GET /v1/profiles/:userId/explain?segment=&now=\`.

A sweep reads each candidate once with only the fields its rules use, in batches. Segments with a
rank fact first read every profile's window buckets to build the score distribution (once per sweep).
`;

/** The whole of docs/rules.md. */
export function rulesDoc(): string {
  const groups = Object.keys(GROUPS) as FactGroup[];
  const operators = OPERATORS.map((o) => `| \`${o.name}\` | ${cell(o.description)} | ${o.factKinds.join(', ')} |`);
  return [
    INTRO,
    '## Facts',
    '',
    ...groups.flatMap(factTable),
    '## Operators',
    '',
    "json-rules-engine 7's built-in operators, with its exact semantics (no others are accepted).",
    '',
    '| operator | passes when | facts of kind |',
    '| --- | --- | --- |',
    ...operators,
    '',
  ].join('\n');
}
