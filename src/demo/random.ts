/**
 * A small seeded pseudo-random generator (sfc32, seeded through a 32-bit integer hash), so the
 * synthetic platform is reproducible from a seed and never touches `Math.random`.
 *
 * Every user gets independent streams keyed by (seed, user index, purpose): a user can be
 * regenerated alone, in any order, and changing how one aspect is drawn does not shift the others.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream for `keys` (e.g. seed, user index, a purpose label). */
  constructor(...keys: (number | string)[]) {
    const h = hashKeys(keys);
    this.a = h[0];
    this.b = h[1];
    this.c = h[2];
    this.d = h[3];
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** One of the table's items, each drawn with probability proportional to its weight. */
  weighted<T>(table: Weighted<T>): T {
    const u = this.next() * table.total;
    const { cumulative, items } = table;
    let i = 0;
    while (i < cumulative.length - 1 && u >= (cumulative[i] as number)) i++;
    return items[i] as T;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median and log-scale spread. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson count (Knuth's method: the means here are small). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A share in (0, 1) with the given median: a hump-shaped draw (mean of three uniforms) bent by a power. */
  proportion(median: number): number {
    const u = (this.next() + this.next() + this.next()) / 3;
    return Math.pow(u, Math.log(median) / Math.log(0.5));
  }
}

/** Items with weights, prepared once for many draws. */
export interface Weighted<T> {
  items: readonly T[];
  /** Running sums of the weights. */
  cumulative: readonly number[];
  total: number;
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): Weighted<T> {
  if (entries.length === 0) throw new RangeError('a weighted table needs items');
  let total = 0;
  const cumulative = entries.map(([, w]) => (total += w));
  return { items: entries.map(([item]) => item), cumulative, total };
}

/** 32-bit integer finaliser (murmur3 fmix32). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashKeys(keys: readonly (number | string)[]): [number, number, number, number] {
  let h = 0x9e3779b9;
  for (const key of keys) {
    const text = typeof key === 'number' ? `n${key}` : `s${key}`;
    for (let i = 0; i < text.length; i++) h = mix(h ^ (text.charCodeAt(i) + Math.imul(i + 1, 0x27d4eb2d)));
    h = mix(h ^ 0x165667b1);
  }
  return [mix(h ^ 1), mix(h ^ 2), mix(h ^ 3), mix(h ^ 4)];
}
