/**
 * The operators a rule leaf may use: json-rules-engine 7's built-ins, with their exact semantics.
 *
 * `evaluate` reproduces json-rules-engine's `Operator.evaluate` (fact-value validator, then the
 * comparison) so the compiled evaluator answers exactly as the engine does, including for missing
 * facts (`undefined`), `null` and values of the wrong type. The property test in
 * test/unit/rules-equivalence.test.ts holds the two together.
 */

/** What the `value` of a leaf must be for an operator. */
export type OperandShape = 'scalar' | 'number' | 'list' | 'element';

export interface OperatorDefinition {
  name: string;
  description: string;
  /** `scalar`: compared with ===; `number`; `list`: an array of scalars; `element`: a scalar sought in an array fact. */
  operand: OperandShape;
  /** Facts it applies to, by value kind (see fact-catalog.ts). */
  factKinds: readonly ('boolean' | 'number' | 'string' | 'strings' | 'attribute')[];
  evaluate(factValue: unknown, value: unknown): boolean;
}

/** json-rules-engine's numeric fact validator: anything `parseFloat` reads as a number. */
function isNumberLike(v: unknown): boolean {
  return Number.parseFloat(v as string).toString() !== 'NaN';
}

function indexOf(list: unknown, item: unknown): number {
  return (list as unknown[]).indexOf(item);
}

const SCALARS = ['boolean', 'number', 'string', 'attribute'] as const;
const NUMERIC = ['number', 'attribute'] as const;

/** The operator table, in the order docs/rules.md lists it. */
export const OPERATORS: readonly OperatorDefinition[] = [
  {
    name: 'equal',
    operand: 'scalar',
    factKinds: SCALARS,
    description:
      'fact === value (no type conversion: 5 never equals "5"; a missing fact equals nothing, not even null)',
    evaluate: (a, b) => a === b,
  },
  {
    name: 'notEqual',
    operand: 'scalar',
    factKinds: SCALARS,
    description: 'fact !== value (a missing fact passes)',
    evaluate: (a, b) => a !== b,
  },
  {
    name: 'in',
    operand: 'list',
    factKinds: SCALARS,
    description: 'value is a list that contains the fact (===)',
    evaluate: (a, b) => indexOf(b, a) > -1,
  },
  {
    name: 'notIn',
    operand: 'list',
    factKinds: SCALARS,
    description: 'value is a list that does not contain the fact (a missing fact passes)',
    evaluate: (a, b) => indexOf(b, a) === -1,
  },
  {
    name: 'contains',
    operand: 'element',
    factKinds: ['strings'],
    description: 'the fact is a list that contains value; fails when the fact is not a list',
    evaluate: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  },
  {
    name: 'doesNotContain',
    operand: 'element',
    factKinds: ['strings'],
    description: 'the fact is a list that does not contain value; fails when the fact is not a list',
    evaluate: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  },
  {
    name: 'lessThan',
    operand: 'number',
    factKinds: NUMERIC,
    description:
      'fact < value; fails when the fact is missing, null or not a number (numeric strings such as "10" compare as numbers)',
    evaluate: (a, b) => isNumberLike(a) && (a as number) < (b as number),
  },
  {
    name: 'lessThanInclusive',
    operand: 'number',
    factKinds: NUMERIC,
    description:
      'fact <= value; fails when the fact is missing, null or not a number (numeric strings such as "10" compare as numbers)',
    evaluate: (a, b) => isNumberLike(a) && (a as number) <= (b as number),
  },
  {
    name: 'greaterThan',
    operand: 'number',
    factKinds: NUMERIC,
    description:
      'fact > value; fails when the fact is missing, null or not a number (numeric strings such as "10" compare as numbers)',
    evaluate: (a, b) => isNumberLike(a) && (a as number) > (b as number),
  },
  {
    name: 'greaterThanInclusive',
    operand: 'number',
    factKinds: NUMERIC,
    description:
      'fact >= value; fails when the fact is missing, null or not a number (numeric strings such as "10" compare as numbers)',
    evaluate: (a, b) => isNumberLike(a) && (a as number) >= (b as number),
  },
];

const byName = new Map(OPERATORS.map((o) => [o.name, o]));

export function findOperator(name: string): OperatorDefinition | undefined {
  return byName.get(name);
}

export const OPERATOR_NAMES: readonly string[] = OPERATORS.map((o) => o.name);
