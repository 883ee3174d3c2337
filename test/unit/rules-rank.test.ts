import { createRankCache } from '../../src/evaluate/rank-table.js';
import { ScoreDistribution } from '../../src/rules/rank.js';

test('a percentile is the share of all profiles strictly below; ties share one', () => {
  const d = new ScoreDistribution([0, 0, 0, 0, 0.02, 5, 6, 6, 6, 6.2, 6.6]);
  expect([0, 0.02, 5, 6, 6.2, 6.6].map((s) => d.countBelow(s))).toEqual([0, 4, 5, 6, 9, 10]);
  expect(d.percentile(6)).toBe(6 / 11);
  expect(d.percentile(100)).toBe(1);
  // With everyone tied nobody is in the top 20%: nobody has 80% of the population strictly below.
  expect(new ScoreDistribution([3, 3, 3, 3, 3]).percentile(3)).toBe(0);
  expect(new ScoreDistribution([]).percentile(1)).toBe(0);
});

test('recent rank tables are reused for their day and for at most maxAge', () => {
  const cache = createRankCache(1000);
  const table = { ranks: new Map([[14, new ScoreDistribution([1, 2])]]), population: 2 };
  cache.set('14|2026-11-20', 10_000, table);
  expect(cache.get('14|2026-11-20', 10_999)).toBe(table);
  expect(cache.get('14|2026-11-20', 11_000)).toBeUndefined();
  expect(cache.get('14|2026-11-21', 10_500)).toBeUndefined();
  expect(cache.get('14,30|2026-11-20', 10_500)).toBeUndefined();
});
