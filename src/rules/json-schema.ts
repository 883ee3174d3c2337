import type { Scoring } from '../domain/intent-scoring.js';
import { SegmentId } from './condition.js';
import { FACTS } from './fact-catalog.js';
import { PARAM_KINDS } from './fact-params.js';
import { PATH_NAME } from './json-path.js';
import type { FactDefinition, ValueType } from './fact-types.js';
import { OPERATORS } from './operators.js';

/**
 * The JSON Schema of a segment file, built from the fact catalog and operator table (the same
 * definitions validation uses) for editor completion. Validation itself is check-conditions.ts,
 * which also gives hints; the schema only guides authors.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

function elementSchema(t: ValueType): Schema {
  const base: Schema =
    t.kind === 'boolean'
      ? { type: 'boolean' }
      : t.kind === 'number'
        ? { type: 'number' }
        : t.kind === 'attribute'
          ? { type: ['string', 'number', 'boolean', 'null'] }
          : t.values
            ? { enum: [...t.values] }
            : { type: 'string' };
  if (!t.nullable) return base;
  return t.values ? { enum: [...t.values, null] } : { anyOf: [base, { type: 'null' }] };
}

function valueSchema(fact: FactDefinition): Schema {
  const ops = OPERATORS.filter((o) => o.factKinds.includes(fact.type.kind));
  const element = elementSchema(fact.type);
  const shapes: Schema[] = [];
  if (ops.some((o) => o.operand === 'scalar' || o.operand === 'element')) shapes.push(element);
  if (ops.some((o) => o.operand === 'number') && fact.type.kind !== 'number') shapes.push({ type: 'number' });
  if (ops.some((o) => o.operand === 'list')) shapes.push({ type: 'array', items: element });
  return shapes.length === 1 ? (shapes[0] as Schema) : { anyOf: shapes };
}

function leafSchema(fact: FactDefinition, scoring: Scoring): Schema {
  const paramNames = Object.keys(fact.params);
  const requiredParams = Object.entries(fact.params)
    .filter(([, d]) => !d.default)
    .map(([n]) => n);
  const properties: Schema = {
    fact: { const: fact.name, description: fact.description },
    operator: { enum: OPERATORS.filter((o) => o.factKinds.includes(fact.type.kind)).map((o) => o.name) },
    value: valueSchema(fact),
    name: { type: 'string', description: 'a label shown in explanations' },
  };
  if (paramNames.length > 0) {
    properties.params = {
      type: 'object',
      additionalProperties: false,
      ...(requiredParams.length ? { required: requiredParams } : {}),
      properties: Object.fromEntries(
        Object.entries(fact.params).map(([n, d]) => [
          n,
          { ...PARAM_KINDS[d.kind].jsonSchema(scoring), description: d.description },
        ]),
      ),
    };
  }
  if (fact.pathDepth)
    properties.path = {
      type: 'string',
      pattern: `^\\$(\\.${PATH_NAME}){1,${fact.pathDepth}}$`,
      description: 'the field, e.g. "$.riskTolerance"',
    };
  const required = [
    'fact',
    'operator',
    'value',
    ...(requiredParams.length ? ['params'] : []),
    ...(fact.pathDepth ? ['path'] : []),
  ];
  return { type: 'object', description: fact.description, additionalProperties: false, required, properties };
}

function booleanSchema(key: 'all' | 'any' | 'not'): Schema {
  const children =
    key === 'not'
      ? ref('condition')
      : { type: 'array', items: ref('condition'), ...(key === 'any' ? { minItems: 1 } : {}) };
  return {
    type: 'object',
    additionalProperties: false,
    required: [key],
    properties: { [key]: children, name: { type: 'string' } },
  };
}

/** The schema of rules/segments/*.json; `days` is bounded by this scoring's retentionDays. */
export function segmentJsonSchema(scoring: Scoring): Schema {
  const id = SegmentId.toJSONSchema();
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Tideflow segment',
    description: 'One segment: a named json-rules-engine condition tree over the fact catalog (docs/rules.md).',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'conditions'],
    properties: {
      $schema: { type: 'string' },
      id: { type: 'string', pattern: id.pattern, description: 'lowercase letters, digits and dashes' },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      description: { type: 'string', maxLength: 2000 },
      conditions: { anyOf: [ref('all'), ref('any'), ref('not')] },
    },
    $defs: {
      all: booleanSchema('all'),
      any: booleanSchema('any'),
      not: booleanSchema('not'),
      condition: { anyOf: [ref('all'), ref('any'), ref('not'), ...FACTS.map((f) => ref(`fact-${f.name}`))] },
      ...Object.fromEntries(FACTS.map((f) => [`fact-${f.name}`, leafSchema(f, scoring)])),
    },
  };
}

/** The schema file's text: stable, two-space indented, with a final newline. */
export function segmentJsonSchemaText(scoring: Scoring): string {
  return `${JSON.stringify(segmentJsonSchema(scoring), null, 2)}\n`;
}
