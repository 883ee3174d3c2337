import { dayKey, dayWindow, inWindow, type DayWindow } from '../../src/domain/day.js';
import type { EventInput } from '../../src/domain/event.js';
import { DEFAULT_SCORING, weightsInHundredths } from '../../src/domain/intent-scoring.js';
import { generatePlatform, type GeneratedUser } from '../../src/demo/generator.js';
import { NOW } from '../support/factories.js';

/**
 * The shapes DOMAIN.md describes, measured on 2,000 generated users straight from their events
 * (no database): the numbers the demo and later benchmarks rely on.
 */

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
const users = [...generatePlatform({ seed: 7, users: 2000, now: NOW, days: 90 })];
const weights = weightsInHundredths(DEFAULT_SCORING);
const day = (e: EventInput): string => dayKey(new Date(e.ts), TZ);
const within = (u: GeneratedUser, w: DayWindow): EventInput[] => u.events.filter((e) => inWindow(day(e), w));
const has = (u: GeneratedUser, type: string): boolean => u.events.some((e) => e.type === type);
const share = (n: number, of: number): number => n / of;

test('the funnel narrows at every step and converts few registered users', () => {
  const steps = ['register', 'real_name_verified', 'bank_card_bound', 'purchase'].map(
    (t) => users.filter((u) => has(u, t)).length,
  );
  expect(steps[0]).toBe(users.length);
  for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeLessThan(steps[i - 1]!);
  expect(share(steps[3]!, users.length)).toBeGreaterThan(0.08);
  expect(share(steps[3]!, users.length)).toBeLessThan(0.25);
});

test('users produce about 10 events a month on average inside the window', () => {
  const w = dayWindow(NOW, 90, TZ);
  const perMonth = users.reduce((n, u) => n + within(u, w).length, 0) / users.length / 3;
  expect(perMonth).toBeGreaterThan(7);
  expect(perMonth).toBeLessThan(13);
});

test('an intent score above 5 over 14 days marks roughly the top 20% of active users', () => {
  const w = dayWindow(NOW, 14, TZ);
  const active = users.map((u) => within(u, w)).filter((events) => events.length > 0);
  const strong = active.filter((events) => events.reduce((s, e) => s + (weights.get(e.type) ?? 0), 0) > 500);
  expect(share(strong.length, active.length)).toBeGreaterThan(0.14);
  expect(share(strong.length, active.length)).toBeLessThan(0.28);
});

test('most browsing users show a clear (> 40%) category preference, matching the latent one', () => {
  const w = dayWindow(NOW, 30, TZ);
  let browsing = 0;
  let clear = 0;
  let matching = 0;
  for (const u of users) {
    const dwell = new Map<string, number>();
    let all = 0;
    for (const e of within(u, w)) {
      all += e.durationSec ?? 0;
      if (e.type === 'view_product_detail' && e.category)
        dwell.set(e.category, (dwell.get(e.category) ?? 0) + (e.durationSec ?? 0));
    }
    if (all === 0) continue;
    browsing++;
    const [top, seconds] = [...dwell].sort((a, b) => b[1] - a[1])[0]!;
    if (seconds / all > 0.4) clear++;
    if (seconds / all > 0.4 && top === u.latent.preferred) matching++;
  }
  expect(browsing).toBeGreaterThan(300);
  expect(share(clear, browsing)).toBeGreaterThan(0.6);
  expect(share(matching, clear)).toBeGreaterThan(0.6);
});

test('a share of old customers has funds redeemed; a few high-value customers went quiet', () => {
  const old = users.filter((u) => has(u, 'purchase'));
  const redeemed = old.filter((u) => {
    const money = u.events.filter((e) => ['purchase', 'redeem', 'mature'].includes(e.type));
    return money.at(-1)!.type !== 'purchase';
  });
  expect(share(redeemed.length, old.length)).toBeGreaterThan(0.2);
  expect(share(redeemed.length, old.length)).toBeLessThan(0.7);
  const highValue = old.filter(
    (u) => u.events.reduce((s, e) => s + (e.type === 'purchase' ? (e.amount ?? 0) : 0), 0) >= 100_000,
  );
  const quiet = highValue.filter((u) => Date.parse(u.events.at(-1)!.ts) < NOW.getTime() - 30 * DAY);
  expect(quiet.length).toBeGreaterThan(0);
  expect(quiet.length).toBeLessThan(highValue.length / 2);
});

test('purchases are thousands to tens of thousands of yuan, bought about monthly with money back in between', () => {
  const amounts = users
    .flatMap((u) => u.events.filter((e) => e.type === 'purchase').map((e) => e.amount ?? 0))
    .sort((a, b) => a - b);
  expect(amounts[0]).toBeGreaterThanOrEqual(1000);
  expect(amounts[Math.floor(amounts.length / 2)]).toBeGreaterThan(3000);
  expect(amounts[Math.floor(amounts.length / 2)]).toBeLessThan(30_000);
  const gaps: number[] = [];
  for (const u of users) {
    const money = u.events.filter((e) => ['purchase', 'redeem', 'mature'].includes(e.type));
    for (let i = 1; i < money.length; i++) {
      if (money[i]!.type !== 'purchase') continue;
      const previous = money
        .slice(0, i)
        .reverse()
        .find((e) => e.type === 'purchase')!;
      gaps.push((Date.parse(money[i]!.ts) - Date.parse(previous.ts)) / DAY);
      // Money comes back before it is reinvested.
      expect(money[i - 1]!.type).not.toBe('purchase');
    }
  }
  gaps.sort((a, b) => a - b);
  expect(gaps.length).toBeGreaterThan(50);
  expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThan(20);
  expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(60);
});

test('activity bursts before a purchase and is quiet after it', () => {
  const windowStart = NOW.getTime() - 90 * DAY;
  let before = 0;
  let after = 0;
  for (const u of users) {
    for (const p of u.events.filter((e) => e.type === 'purchase')) {
      const t = Date.parse(p.ts);
      if (t - 7 * DAY < windowStart || t + 7 * DAY > NOW.getTime()) continue;
      const details = (from: number, to: number): number =>
        u.events.filter((e) => e.type === 'view_product_detail' && Date.parse(e.ts) >= from && Date.parse(e.ts) < to)
          .length;
      before += details(t - 7 * DAY, t);
      after += details(t + 1000, t + 7 * DAY);
    }
  }
  expect(before).toBeGreaterThan(3 * after);
});

test('acquisition channels differ in traffic and in quality', () => {
  const byChannel = new Map<string, { users: number; buyers: number }>();
  for (const u of users) {
    const channel = u.events[0]!.channel!;
    const c = byChannel.get(channel) ?? { users: 0, buyers: 0 };
    c.users++;
    if (has(u, 'purchase')) c.buyers++;
    byChannel.set(channel, c);
  }
  expect(byChannel.size).toBeGreaterThanOrEqual(4);
  const rates = [...byChannel.values()].map((c) => c.buyers / c.users);
  const traffic = [...byChannel.values()].map((c) => c.users / users.length);
  const meanRate = share(users.filter((u) => has(u, 'purchase')).length, users.length);
  // Every traffic × quality quadrant is occupied.
  const quadrants = new Set(
    rates.map((r, i) => `${traffic[i]! > 1 / byChannel.size ? 'high' : 'low'}-${r > meanRate ? 'high' : 'low'}`),
  );
  expect(quadrants).toEqual(new Set(['high-high', 'high-low', 'low-high', 'low-low']));
});
