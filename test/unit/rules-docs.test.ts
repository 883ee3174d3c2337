import { readFileSync } from 'node:fs';
import { loadRuleSet } from '../../src/rules/rule-set.js';
import { segmentJsonSchema, segmentJsonSchemaText } from '../../src/rules/json-schema.js';
import { rulesDoc } from '../../src/rules/rules-doc.js';
import { FACTS } from '../../src/rules/fact-catalog.js';
import { OPERATORS } from '../../src/rules/operators.js';

// Both files are generated from the fact catalog and operator table:
// `tideflow validate --write-schema --write-docs docs/rules.md` refreshes them.

test('rules/schema/segment.schema.json is up to date', async () => {
  const { scoring } = await loadRuleSet('rules');
  expect(readFileSync('rules/schema/segment.schema.json', 'utf8')).toBe(segmentJsonSchemaText(scoring));
});

test('docs/rules.md is up to date and documents every fact and operator', () => {
  const doc = readFileSync('docs/rules.md', 'utf8');
  expect(doc).toBe(rulesDoc());
  for (const f of FACTS) expect(doc).toContain(`| \`${f.name}\` |`);
  for (const o of OPERATORS) expect(doc).toContain(`| \`${o.name}\` |`);
});

test('the schema offers each fact its own params and only the operators that apply to it', async () => {
  const { scoring } = await loadRuleSet('rules');
  const defs = segmentJsonSchema(scoring).$defs as Record<
    string,
    { properties: Record<string, Record<string, unknown>> }
  >;
  const share = defs['fact-categoryShare']?.properties;
  expect(share?.params).toMatchObject({
    required: ['category'],
    properties: { category: { enum: ['bond', 'stock', 'money', 'index', 'mixed'] }, days: { maximum: 90 } },
  });
  expect(defs['fact-topics']?.properties.operator).toEqual({ enum: ['contains', 'doesNotContain'] });
  expect(defs['fact-attributes']?.properties.path).toMatchObject({ type: 'string' });
});
