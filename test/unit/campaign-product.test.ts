import { bestProduct, parseRiskTolerance, ProductCatalog, recommendProduct } from '../../src/domain/product.js';
import { aCatalog } from '../support/factories.js';

const name = (p: ReturnType<typeof recommendProduct>): string => (p.kind === 'product' ? p.product.id : p.reason);

describe('recommendProduct: the best suitable active product of the preferred category', () => {
  test.each([
    ['R3 who prefers bonds gets the higher-yield bond fund', {}, 'R3', 'bond', 'bond-plus'],
    ['R2 gets the one within tolerance', {}, 'R2', 'bond', 'bond-steady'],
    ['R1 gets no bond fund: suitability', {}, 'R1', 'bond', 'suitability'],
    ['R5 never gets an inactive product', {}, 'R5', 'stock', 'no-product'],
    ['no preference and no fallback', {}, 'R3', undefined, 'no-product'],
    ['no preference, fallback money', { fallbackCategory: 'money' }, 'R1', undefined, 'money-daily'],
    ['a fixed category wins over the preference', { category: 'money' }, 'R3', 'bond', 'money-daily'],
    ['a fixed product', { id: 'bond-steady' }, 'R3', 'money', 'bond-steady'],
    ['a fixed product above tolerance is never offered', { id: 'bond-plus' }, 'R2', 'bond', 'suitability'],
    ['a fixed inactive product', { id: 'stock-alpha' }, 'R5', 'stock', 'no-product'],
  ] as const)('%s', (_, choice, tolerance, preferredCategory, expected) => {
    expect(name(recommendProduct(aCatalog(), choice, { tolerance, preferredCategory }))).toBe(expected);
  });

  test('equal yields are broken by id', () => {
    const same = {
      category: 'index',
      riskLevel: 'R3',
      expectedYield: 0.05,
      termDays: 0,
      minAmount: 10,
      status: 'active',
    };
    const catalog = aCatalog([
      { ...same, id: 'index-b', name: 'B' },
      { ...same, id: 'index-a', name: 'A' },
    ]);
    expect(name(bestProduct(catalog, 'index', 'R3'))).toBe('index-a');
  });

  test('funds carry the configured risk notice, other products none', () => {
    const base = {
      category: 'money',
      riskLevel: 'R1',
      expectedYield: 0.02,
      termDays: 0,
      minAmount: 1,
      status: 'active',
    };
    const catalog = ProductCatalog.parse({
      riskNotice: '理财有风险，投资需谨慎',
      products: [
        { ...base, id: 'm1', name: 'M1' },
        { ...base, id: 'm2', name: 'M2', fund: false, expectedYield: 0.01 },
      ],
    });
    const fund = bestProduct(catalog, 'money', 'R1');
    expect(fund.kind === 'product' && fund.product.riskNotice).toBe('理财有风险，投资需谨慎');
    const notFund = recommendProduct(catalog, { id: 'm2' }, { tolerance: 'R1' });
    expect(notFund.kind === 'product' && notFund.product.riskNotice).toBe('');
    expect(aCatalog().riskNotice).toBe('基金有风险，投资需谨慎');
  });
});

test.each([
  ['R3', 'R3'],
  ['r4', 'R4'],
  [' R2 ', 'R2'],
  [5, 'R5'],
  ['1', 'R1'],
  ['R6', undefined],
  [0, undefined],
  ['high', undefined],
  [null, undefined],
  [undefined, undefined],
])('riskTolerance %p reads as %p', (value, expected) => {
  expect(parseRiskTolerance(value)).toBe(expected);
});

test('duplicate product ids are rejected with their path', () => {
  const p = {
    id: 'x',
    name: 'X',
    category: 'bond',
    riskLevel: 'R2',
    expectedYield: 0.04,
    termDays: 90,
    minAmount: 1000,
    status: 'active',
  };
  const r = ProductCatalog.safeParse({ products: [p, p] });
  expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([
    [['products', 1, 'id'], 'duplicate product id "x"'],
  ]);
});
