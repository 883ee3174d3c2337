import type { z } from 'zod';
import type { Channel, ProfileRecord } from '../domain/profile.js';
import { DAY_MS, type ModelClock, type Traits } from './population.js';
import { weightedTable, type Random } from './random.js';

/** A profile import line as a client sends it (ISO strings for times). */
export type ProfileRecordInput = z.input<typeof ProfileRecord>;

/**
 * Time zones of the users with a fixed UTC offset each: the model ignores daylight saving time,
 * which only shifts a few users' sessions by an hour.
 */
const TIME_ZONES = weightedTable<{ name: string; offsetHours: number }>([
  [{ name: 'Asia/Shanghai', offsetHours: 8 }, 0.92],
  [{ name: 'Asia/Hong_Kong', offsetHours: 8 }, 0.03],
  [{ name: 'Asia/Singapore', offsetHours: 8 }, 0.02],
  [{ name: 'America/Los_Angeles', offsetHours: -8 }, 0.01],
  [{ name: 'Europe/London', offsetHours: 0 }, 0.01],
  [{ name: 'Australia/Sydney', offsetHours: 10 }, 0.01],
]);

const CITIES = weightedTable<string>([
  ['Shanghai', 16],
  ['Beijing', 14],
  ['Shenzhen', 12],
  ['Guangzhou', 10],
  ['Hangzhou', 9],
  ['Chengdu', 8],
  ['Nanjing', 7],
  ['Wuhan', 7],
  ['Suzhou', 6],
  ["Xi'an", 5],
  ['Chongqing', 6],
]);

const AGE_BANDS = weightedTable<string>([
  ['18-24', 12],
  ['25-34', 38],
  ['35-44', 28],
  ['45-54', 14],
  ['55+', 8],
]);

const TOPICS = ['market_daily', 'new_products', 'fund_news', 'promotions'] as const;

/** Risk tolerance R1 (cautious) … R5 (aggressive), centred by the favourite category. */
const RISK_CENTRE = { money: 1.5, bond: 2.3, index: 3.4, mixed: 3.2, stock: 4.4 } as const;

export interface Contact {
  record: ProfileRecordInput;
  offsetHours: number;
  /** Channels the user can be reached on: a contact point and consent granted. */
  reachable: Channel[];
}

export function drawContact(rng: Random, traits: Traits, userId: string, index: number, clock: ModelClock): Contact {
  const tz = rng.weighted(TIME_ZONES);
  // 11-digit mainland mobile numbers, unique per user index below 10^8.
  const phone = `+861${rng.pick([3, 5, 7, 8, 9])}${rng.int(0, 9)}${String(index % 100_000_000).padStart(8, '0')}`;
  const email = rng.chance(0.65)
    ? `${userId.toLowerCase()}@${rng.pick(['example.com', 'example.net', 'example.org'])}`
    : undefined;
  const pushToken = rng.chance(0.75) ? `ptk_${hex(rng, 24)}` : undefined;
  const consent: NonNullable<ProfileRecordInput['consent']> = {};
  const reachable: Channel[] = [];
  const since = (days: number): string =>
    new Date(Math.min(clock.now, traits.registeredAt + days * DAY_MS)).toISOString();
  const grant = (channel: Channel, p: number, source: string, days: number): void => {
    if (!rng.chance(p)) return;
    const withdrawn = rng.chance(0.08);
    consent[channel] = withdrawn
      ? { granted: false, at: since(days + rng.uniform(5, 200)), source: 'unsubscribe' }
      : { granted: true, at: since(days), source };
    if (!withdrawn) reachable.push(channel);
  };
  grant('sms', 0.8, 'register', 0);
  if (email) grant('email', 0.5, 'settings', rng.uniform(0, 20));
  if (pushToken) grant('push', 0.6, 'app_prompt', rng.uniform(0, 2));
  const topics: string[] = TOPICS.filter(() => rng.chance(0.25));
  if (traits.preferred && rng.chance(0.5)) topics.push(`${traits.preferred}_picks`);
  const risk = Math.round((traits.preferred ? RISK_CENTRE[traits.preferred] : 3) + rng.normal() * 0.8);
  const record: ProfileRecordInput = {
    userId,
    phone,
    ...(email ? { email } : {}),
    ...(pushToken ? { pushToken } : {}),
    timezone: tz.name,
    consent,
    topics,
    attributes: {
      riskTolerance: `R${Math.min(5, Math.max(1, risk))}`,
      city: rng.weighted(CITIES),
      ageBand: rng.weighted(AGE_BANDS),
    },
  };
  return { record, offsetHours: tz.offsetHours, reachable };
}

function hex(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}
