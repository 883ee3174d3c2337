import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { SendRecord } from '../../src/domain/caps.js';
import { traceGates } from '../../src/domain/gate-trace.js';
import { decide, type DecideInput } from '../../src/domain/gates.js';
import type { Channel } from '../../src/domain/profile.js';
import { aCampaign, aCatalog, aRecipient } from '../support/factories.js';

/**
 * `preview` shows every gate on its own (domain/gate-trace.ts): whatever the campaign, user and
 * history, its first failing gate names the skip `decide` gives, and a send passes every gate.
 */
const NOW = new Date('2026-11-20T10:00:00+08:00');
const CHANNELS: Channel[] = ['sms', 'email', 'push'];
const granted = { granted: true, at: new Date('2026-01-01T00:00:00Z'), source: 'signup' };
const withdrawn = { ...granted, granted: false };

const consent = fc.constantFrom(undefined, granted, withdrawn);
const recipient = fc
  .record({
    userId: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'),
    sms: consent,
    email: consent,
    push: consent,
    missing: fc.subarray(CHANNELS),
    suppressed: fc.subarray(CHANNELS),
    riskTolerance: fc.constantFrom('R1', 'R2', 'R3'),
    preferredCategory: fc.constantFrom('bond', 'stock', undefined),
  })
  .map((r) => {
    const base = aRecipient();
    const c: Record<string, unknown> = {};
    for (const ch of CHANNELS) if (r[ch]) c[ch] = r[ch];
    const contact = Object.fromEntries(
      Object.entries(base.contact).filter(([ch]) => !r.missing.includes(ch as Channel)),
    );
    return aRecipient({
      userId: r.userId,
      consent: c,
      contact,
      suppressed: r.suppressed,
      riskTolerance: r.riskTolerance as 'R1',
      ...(r.preferredCategory
        ? { preferredCategory: r.preferredCategory as 'bond' }
        : { preferredCategory: undefined }),
    });
  });

const campaign = fc
  .record({
    status: fc.constantFrom('active', 'active', 'active', 'paused'),
    holdout: fc.constantFrom(0, 0, 30),
    channels: fc.shuffledSubarray(CHANNELS, { minLength: 1 }),
    cooldown: fc.constantFrom(undefined, '3d'),
    perDay: fc.constantFrom(undefined, 1),
    budget: fc.constantFrom(undefined, 0.01, 100),
    incentive: fc.boolean(),
    product: fc.constantFrom(undefined, {}, { category: 'stock' }),
  })
  .map((c) =>
    aCampaign({
      status: c.status as 'active',
      holdout: c.holdout,
      channels: c.channels,
      priority: 10,
      limits: {
        ...(c.cooldown ? { cooldown: c.cooldown } : {}),
        ...(c.perDay ? { perDay: { total: c.perDay } } : {}),
      },
      ...(c.budget ? { budget: { cap: c.budget } } : {}),
      ...(c.incentive ? { incentive: { type: 'red-packet', amount: 10, minPurchase: 100, expiryDays: 7 } } : {}),
      ...(c.product ? { product: c.product } : {}),
    }),
  );

const history = fc.array(
  fc.record({
    campaignId: fc.constantFrom('test-campaign', 'other'),
    channel: fc.constantFrom(...CHANNELS),
    hoursAgo: fc.integer({ min: 0, max: 200 }),
    priority: fc.constantFrom(0, 20),
  }),
  { maxLength: 3 },
);

test("the first failing gate is decide's skip; a send passes every gate", () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(campaign, recipient, history, (c, r, h) => {
      const records: SendRecord[] = h.map((x) => ({
        campaignId: x.campaignId,
        channel: x.channel,
        at: new Date(NOW.getTime() - x.hoursAgo * 3_600_000),
        priority: x.priority,
      }));
      const input: DecideInput = { campaign: c, recipient: r, now: NOW, history: records, catalog: aCatalog() };
      const d = decide(input);
      const gates = traceGates(input);
      const fail = gates.find((g) => g.outcome !== 'pass');
      seen.add(d.kind === 'send' ? 'send' : d.reason);
      if (d.kind === 'send') {
        expect(fail).toBeUndefined();
        expect(gates.find((g) => g.gate === 'channel')?.detail.startsWith(`${d.channel}:`)).toBe(true);
      } else {
        expect(fail).toMatchObject({ outcome: 'fail', reason: d.reason });
        if (d.detail) expect(fail?.detail).toBe(d.detail);
      }
    }),
    { seed: 20261204, numRuns: 2000 },
  );
  // The generator reaches sends and most skip reasons, so the agreement means something.
  expect([...seen].sort()).toEqual(
    expect.arrayContaining([
      'send',
      'paused',
      'holdout',
      'no-consent',
      'unsubscribed',
      'no-contact',
      'suppressed',
      'cooldown',
      'frequency-cap',
      'priority',
      'budget',
      'no-product',
      'suitability',
    ]),
  );
});
