import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { canCharge, toFen, type BudgetState } from '../../src/domain/budget.js';
import { capExceeded, weekKey, type Caps, type SendRecord } from '../../src/domain/caps.js';
import { dayKey } from '../../src/domain/day.js';
import { decide } from '../../src/domain/gates.js';
import type { Channel } from '../../src/domain/profile.js';
import { isQuietAt, QuietHours } from '../../src/domain/quiet-hours.js';
import { aCampaign, aCatalog, aRecipient } from '../support/factories.js';

/**
 * The gates as a whole (domain/gates.ts over caps, quiet hours and the budget): whatever the time,
 * zone, history and order of users, no send breaks a limit. Each property names what it protects.
 */
const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const CHANNELS: Channel[] = ['sms', 'email', 'push'];
const instant = fc
  .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') })
  .map((t) => new Date(t));
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const quiet = fc
  .tuple(hhmm, hhmm)
  .map(([start, end]): QuietHours => ({ start, end }))
  .filter((w) => QuietHours.safeParse(w).success);
const catalog = aCatalog();

test("a send is never inside the user's quiet hours, never earlier than now, and flagged postponed exactly when moved", () => {
  fc.assert(
    fc.property(instant, quiet, fc.constantFrom(...ZONES), fc.constantFrom(...CHANNELS), (now, window, tz, channel) => {
      const campaign = aCampaign({ channels: [channel], limits: { quietHours: { [channel]: window } } });
      const d = decide({ campaign, recipient: aRecipient({ timezone: tz }), now, history: [], catalog });
      if (d.kind !== 'send') throw new Error(`expected a send, got ${d.kind} ${d.reason}`);
      expect(d.sendAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
      expect(isQuietAt(d.sendAt, window, tz)).toBe(false);
      expect(d.postponed).toBe(d.sendAt.getTime() !== now.getTime());
    }),
    { numRuns: 1500 },
  );
});

const caps = fc.record(
  { total: fc.integer({ min: 0, max: 4 }), sms: fc.integer({ min: 0, max: 3 }), push: fc.integer({ min: 0, max: 3 }) },
  { requiredKeys: [] },
);

test('sends admitted one by one never exceed any per-day or per-week cap, in any order of times (frequency caps hold)', () => {
  const attempt = fc.record({
    at: fc.integer({ min: 0, max: 20 * 86_400_000 }),
    channel: fc.constantFrom(...CHANNELS),
  });
  fc.assert(
    fc.property(
      caps,
      caps,
      fc.array(attempt, { maxLength: 60 }),
      fc.constantFrom(...ZONES),
      (perDay: Caps, perWeek: Caps, attempts, tz) => {
        const start = Date.parse('2026-11-16T00:00:00Z');
        const history: SendRecord[] = [];
        for (const a of attempts) {
          const at = new Date(start + a.at);
          if (capExceeded(history, a.channel, at, tz, perDay, perWeek) === undefined)
            history.push({ campaignId: 'c', channel: a.channel, at });
        }
        for (const [period, limits] of [
          [(d: string) => d, perDay],
          [weekKey, perWeek],
        ] as const) {
          const counts = new Map<string, number>();
          for (const r of history) {
            const p = period(dayKey(r.at, tz));
            for (const k of [`${p} total`, `${p} ${r.channel}`]) counts.set(k, (counts.get(k) ?? 0) + 1);
          }
          for (const [k, n] of counts) {
            const [, what] = k.split(' ') as [string, 'total' | Channel];
            const cap = limits[what];
            if (cap !== undefined) expect(n).toBeLessThanOrEqual(cap);
          }
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('decisions over many users against one budget, each charged as it is sent, never spend past the cap', () => {
  // Caps and amounts to the fen, so a guard off by one fen shows.
  const amounts = fc.constantFrom(0.01, 0.37, 1, 8.88, 20);
  const capsYuan = fc.integer({ min: 1, max: 30_000 }).map((fen) => fen / 100);
  fc.assert(
    fc.property(
      capsYuan,
      amounts,
      fc.boolean(),
      fc.integer({ min: 1, max: 80 }),
      (capYuan, amount, withMessageCost, users) => {
        const campaign = aCampaign({
          channels: ['sms', 'push'],
          budget: { cap: capYuan, includeMessageCost: withMessageCost },
          incentive: { type: 'red-packet', amount, minPurchase: 0, expiryDays: 7 },
          limits: { quietHours: { sms: null, push: null } },
        });
        let state: BudgetState = { capFen: toFen(capYuan), spentFen: 0 };
        let budgetSkips = 0;
        for (let i = 0; i < users; i++) {
          const recipient = aRecipient({
            userId: `u${i}`,
            ...(i % 2 ? { consent: { sms: { granted: false, at: new Date(0), source: 't' } } } : {}),
          });
          const d = decide({
            campaign,
            recipient,
            now: new Date('2026-11-20T10:00:00+08:00'),
            history: [],
            catalog,
            budget: state,
          });
          if (d.kind !== 'send') {
            expect(['budget', 'no-consent', 'unsubscribed']).toContain(d.reason);
            if (d.reason === 'budget') budgetSkips++;
            continue;
          }
          // decide says send only when the charge fits: the store's conditional update then succeeds.
          expect(canCharge(state, d.budgetFen)).toBe(true);
          state = { capFen: state.capFen, spentFen: state.spentFen + d.budgetFen };
          expect(d.budgetFen).toBeGreaterThanOrEqual(toFen(amount));
        }
        expect(state.spentFen).toBeLessThanOrEqual(state.capFen);
        // Nobody was refused for the budget while a send still fitted: the budget is used, not left idle.
        if (budgetSkips > 0)
          expect(state.capFen - state.spentFen).toBeLessThan(toFen(amount) + (withMessageCost ? 5 : 0));
      },
    ),
    { numRuns: 400 },
  );
});
