import { dayKey } from '../domain/day.js';
import { intentScore } from '../domain/windowed-metrics.js';
import { weightsInHundredths } from '../domain/intent-scoring.js';
import { windowDays } from '../rules/fact-pushdown.js';
import { ScoreDistribution } from '../rules/rank.js';
import type { RankCache, RankTable } from '../ports/rank-cache.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';

/** @param maxAgeMs how long a table is reused. @defaultValue 300000 (5 minutes) */
export function createRankCache(maxAgeMs = 300_000, maxEntries = 8): RankCache {
  const entries = new Map<string, { at: number; table: RankTable }>();
  return {
    get(key, at) {
      const e = entries.get(key);
      return e && at - e.at >= 0 && at - e.at < maxAgeMs ? e.table : undefined;
    },
    set(key, at, table) {
      if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value as string);
      entries.set(key, { at, table });
    },
  };
}

/** One pass over every profile: the sorted intent scores of each window the rank facts use. */
async function rankPass(ports: EvaluatePorts, windows: readonly number[], now: Date): Promise<RankTable> {
  const clock = { now, tz: ports.tz };
  const weights = weightsInHundredths(ports.rules.scoring);
  const longest = Math.max(...windows);
  const scores = windows.map(() => [] as number[]);
  for await (const batch of ports.reader.scan({ fields: windowDays(longest, clock).map((k) => `buckets.${k}`) })) {
    for (const p of batch) windows.forEach((d, i) => scores[i]?.push(intentScore(p, d, weights, clock)));
  }
  return {
    ranks: new Map(windows.map((d, i) => [d, new ScoreDistribution(scores[i] ?? [])])),
    population: scores[0]?.length ?? 0,
  };
}

/** The rank table for `windows` at `now`: read afresh, or a recent one when `reuse` allows it. */
export async function rankTable(
  ports: EvaluatePorts,
  windows: readonly number[],
  now: Date,
  reuse: boolean,
): Promise<RankTable> {
  const key = `${windows.join(',')}|${dayKey(now, ports.tz)}`;
  const at = ports.clock().getTime();
  const cached = reuse ? ports.ranks?.get(key, at) : undefined;
  if (cached) return cached;
  const table = await rankPass(ports, windows, now);
  ports.ranks?.set(key, at, table);
  return table;
}
