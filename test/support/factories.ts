// Shared test factories with overrides. Append new factories; keep existing ones stable.
import { Config } from '../../src/config/config.js';
import type { EventInput } from '../../src/domain/event.js';
import { Campaign, type CampaignInput } from '../../src/domain/campaign.js';
import type { Recipient } from '../../src/domain/decision.js';
import type { DeliveryGroup } from '../../src/domain/campaign-report.js';
import { ProductCatalog } from '../../src/domain/product.js';

/** The fixed instant tests treat as "now" unless they say otherwise. */
export const NOW = new Date('2026-11-20T10:00:00+08:00');

/** A clock that always returns `at`. */
export function fixedClock(at: Date = NOW): () => Date {
  return () => new Date(at);
}

let eventSeq = 0;

/** A valid event as a client would send it; `id` is unique per call unless overridden. */
export function anEvent(overrides: Partial<EventInput> = {}): EventInput {
  eventSeq += 1;
  return { id: `e${eventSeq}`, userId: 'u1', type: 'app_open', ts: '2026-11-20T09:00:00+08:00', ...overrides };
}

/** Configuration as the environment would give it, with overrides (e.g. TIDEFLOW_TZ). */
export function testConfig(env: Record<string, string> = {}): Config {
  // Logs stay out of the test output unless a test asks for them.
  return Config.parse({ MONGODB_URI: process.env.TIDEFLOW_TEST_MONGODB_URI, LOG_LEVEL: 'silent', ...env });
}

// Campaign domain: a triggered campaign, a reachable user and a product catalog, all valid.

/** An active campaign triggered by `redeem`, sms → push → email, no incentive or limits of its own. */
export function aCampaign(overrides: Partial<CampaignInput> = {}): Campaign {
  return Campaign.parse({
    id: 'test-campaign',
    name: 'Test campaign',
    segment: 'everyone',
    trigger: { event: 'redeem' },
    channels: ['sms', 'push', 'email'],
    template: 'first-purchase',
    status: 'active',
    ...overrides,
  });
}

/** A user in Asia/Shanghai who consented to every channel and can be reached on each; R3, prefers bonds. */
export function aRecipient(overrides: Partial<Recipient> = {}): Recipient {
  const granted = { granted: true, at: new Date('2026-01-01T00:00:00Z'), source: 'signup' };
  return {
    userId: 'u1',
    timezone: 'Asia/Shanghai',
    consent: { sms: granted, email: granted, push: granted },
    contact: { sms: '+8613800138000', email: 'u1@example.com', push: 'push-token-u1' },
    suppressed: [],
    riskTolerance: 'R3',
    preferredCategory: 'bond',
    ...overrides,
  };
}

/** A catalog with two bond funds (R2 4.1%, R3 4.8%), a money fund (R1) and an inactive stock fund. */
export function aCatalog(products?: unknown[]): ProductCatalog {
  const fund = { termDays: 90, minAmount: 1000, status: 'active' };
  return ProductCatalog.parse({
    products: products ?? [
      { ...fund, id: 'bond-steady', name: '稳健债券', category: 'bond', riskLevel: 'R2', expectedYield: 0.041 },
      { ...fund, id: 'bond-plus', name: '增强债券', category: 'bond', riskLevel: 'R3', expectedYield: 0.048 },
      {
        ...fund,
        id: 'money-daily',
        name: '天天宝',
        category: 'money',
        riskLevel: 'R1',
        expectedYield: 0.019,
        termDays: 0,
        minAmount: 1,
      },
      {
        ...fund,
        id: 'stock-alpha',
        name: '优选股票',
        category: 'stock',
        riskLevel: 'R4',
        expectedYield: 0.09,
        status: 'inactive',
      },
    ],
  });
}

/** One group of a campaign's ledger as the reports read it: a sent group with every count at zero. */
export function aDeliveryGroup(over: Partial<DeliveryGroup> = {}): DeliveryGroup {
  return {
    occurrence: '2026-11-04T03:00:00.000Z',
    state: 'sent',
    count: 0,
    firstDecidedAt: new Date('2026-11-04T11:00:00+08:00'),
    lastWindowEnd: null,
    messageCostFen: 0,
    incentiveFen: 0,
    delivered: 0,
    clicked: 0,
    converted: 0,
    convertedAmount: 0,
    goal: 0,
    goalAmount: 0,
    redeemed: 0,
    redeemedFen: 0,
    ...over,
  };
}
