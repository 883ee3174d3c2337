import { Event } from '../../src/domain/event.js';
import { ProfileRecord } from '../../src/domain/profile.js';
import { generatePlatform, generateUser, userIndexOf, type GeneratedUser } from '../../src/demo/generator.js';
import { Random } from '../../src/demo/random.js';
import { respond, uplift, type Latent, type Offer } from '../../src/demo/response.js';
import { NOW } from '../support/factories.js';

const opts = { seed: 42, users: 400, now: NOW, days: 90 };
const take = (o: typeof opts, n: number): GeneratedUser[] => [...generatePlatform({ ...o, users: n })];

describe('synthetic platform generator', () => {
  const users = take(opts, 400);

  test('the same seed and now give the same stream', () => {
    expect(take(opts, 60)).toEqual(users.slice(0, 60));
  });

  test('another seed or another now gives another stream', () => {
    const other = take({ ...opts, seed: 43 }, 60);
    expect(other.map((u) => u.events.length)).not.toEqual(users.slice(0, 60).map((u) => u.events.length));
    const later = take({ ...opts, now: new Date(NOW.getTime() + 86_400_000) }, 60);
    expect(later.map((u) => u.events.at(-1)?.ts)).not.toEqual(users.slice(0, 60).map((u) => u.events.at(-1)?.ts));
  });

  test('any user can be regenerated alone, from the index in its id', () => {
    const u = users[137]!;
    expect(userIndexOf(u.userId)).toBe(137);
    expect(generateUser(opts, 137)).toEqual(u);
    expect([...generatePlatform({ ...opts, first: 137, users: 2 })].map((x) => x.userId)).toEqual([
      u.userId,
      users[138]!.userId,
    ]);
  });

  test('profiles and events are valid inputs of the import and ingest paths', () => {
    const problems: unknown[] = [];
    for (const u of users) {
      const p = ProfileRecord.safeParse(u.profile);
      if (!p.success) problems.push([u.userId, p.error.issues]);
      for (const e of u.events) {
        const r = Event.safeParse(e);
        if (!r.success) problems.push([e.id, r.error.issues]);
      }
    }
    expect(problems).toEqual([]);
  });

  test('event ids are e-<user>-<n>, unique, in time order, none after now', () => {
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const u of users) {
      u.events.forEach((e, i) => {
        ids.add(e.id);
        if (e.id !== `e-${u.userId}-${i + 1}` || e.userId !== u.userId) problems.push(`${e.id}: id or user`);
        if (i > 0 && Date.parse(e.ts) < Date.parse(u.events[i - 1]!.ts)) problems.push(`${e.id}: out of order`);
        if (Date.parse(e.ts) > NOW.getTime()) problems.push(`${e.id}: after now`);
      });
    }
    expect(problems).toEqual([]);
    expect(ids.size).toBe(users.reduce((n, u) => n + u.events.length, 0));
  });

  test('every user registers once, first, with an acquisition channel', () => {
    const wrong = users.filter((u) => {
      const registers = u.events.filter((e) => e.type === 'register');
      return (
        registers.length !== 1 || u.events[0]!.type !== 'register' || !/^[a-z_]+$/.test(registers[0]!.channel ?? '')
      );
    });
    expect(wrong.map((u) => u.userId)).toEqual([]);
  });

  test('not everyone consents to everything; most users are in Asia/Shanghai', () => {
    const consented = (ch: 'sms' | 'email' | 'push'): number =>
      users.filter((u) => u.profile.consent?.[ch]?.granted).length;
    for (const ch of ['sms', 'email', 'push'] as const) {
      expect(consented(ch)).toBeGreaterThan(0);
      expect(consented(ch)).toBeLessThan(users.length);
    }
    const shanghai = users.filter((u) => u.profile.timezone === 'Asia/Shanghai').length;
    expect(shanghai / users.length).toBeGreaterThan(0.8);
    expect(shanghai).toBeLessThan(users.length);
    expect(new Set(users.map((u) => u.profile.attributes?.riskTolerance))).toEqual(
      new Set(['R1', 'R2', 'R3', 'R4', 'R5']),
    );
  });
});

describe('response to campaigns', () => {
  const users = take({ ...opts, users: 3000 }, 3000);
  const offer = (l: Latent): Offer => ({
    channel: 'sms',
    incentive: { type: 'red-packet', amount: 50 },
    ...(l.preferred ? { category: l.preferred } : {}),
  });
  const targeted = users.filter(
    (u) => u.latent.stage === 'customer' && u.latent.fundsRedeemed && u.latent.recentIntent > 5,
  );
  const rate = (group: GeneratedUser[], contact: boolean, seed: number): number => {
    const rng = new Random(seed);
    return (
      group.filter((u) => respond(u.latent, contact ? offer(u.latent) : undefined, 7, rng).converted).length /
      group.length
    );
  };

  test('targeted users (funds redeemed, strong intent) answer far more than a random user', () => {
    expect(targeted.length).toBeGreaterThan(20);
    const mean = (g: GeneratedUser[]): number =>
      g.reduce((s, u) => s + uplift(u.latent, offer(u.latent)), 0) / g.length;
    expect(mean(targeted)).toBeGreaterThan(10 * mean(users));
    expect(rate(targeted, true, 1) - rate(targeted, false, 1)).toBeGreaterThan(0.08);
    // A blanket red packet converts under 10% (DOMAIN.md).
    expect(rate(users, true, 2)).toBeLessThan(0.1);
  });

  test('uncontacted users convert exactly at the organic rate of the model', () => {
    const organic = users.filter((u) => (u.latent.nextPurchase?.afterDays ?? Infinity) <= 7).length / users.length;
    expect(rate(users, false, 3)).toBe(organic);
    expect(rate(users, false, 4)).toBe(organic);
  });

  test('a channel without consent or contact point reaches no one', () => {
    const unreachable = users.find((u) => !u.latent.reachable.includes('email'))!;
    expect(uplift(unreachable.latent, { channel: 'email' })).toBe(0);
  });
});
