import {
  addToFunnel,
  channelQuadrants,
  emptyFunnel,
  funnelStats,
  quadrantOf,
  type FunnelCounts,
  type FunnelProfile,
} from '../../src/domain/funnel.js';

const TZ = 'Asia/Shanghai';
const range = { first: '2026-11-01', last: '2026-11-30' };
const d = (iso: string): Date => new Date(`${iso}+08:00`);

function count(profiles: FunnelProfile[]): FunnelCounts {
  const c = emptyFunnel();
  for (const p of profiles) addToFunnel(c, p, range, TZ);
  return c;
}

test('the funnel counts visitors, the cohort registered in the range, and its steps by the range end', () => {
  const c = count([
    // Visitor only: active in the range, registered before it.
    { lifecycle: { registeredAt: d('2026-10-20T10:00:00') }, buckets: { '2026-11-03': { n: { app_open: 1 } } } },
    // The whole funnel inside the range, with two purchases.
    {
      lifecycle: {
        registeredAt: d('2026-11-02T09:00:00'),
        realNameAt: d('2026-11-02T09:10:00'),
        cardBoundAt: d('2026-11-03T09:00:00'),
        firstPurchaseAt: d('2026-11-05T09:00:00'),
      },
      buckets: {
        '2026-11-02': { n: { register: 1 } },
        '2026-11-05': { n: { purchase: 2 }, amount: { purchase: 15_000 } },
      },
    },
    // Registered and real-name only; card bound after the range: not counted.
    {
      lifecycle: {
        registeredAt: d('2026-11-29T23:30:00'),
        realNameAt: d('2026-11-30T23:59:00'),
        cardBoundAt: d('2026-12-01T00:00:00'),
      },
      buckets: { '2026-11-29': { n: { register: 1 } } },
    },
    // Registration at 2026-11-01 00:30 Shanghai is in the range (it is still October in UTC).
    { lifecycle: { registeredAt: d('2026-11-01T00:30:00') } },
    // Only Tideflow's own outcome events in the range: not a visitor.
    { buckets: { '2026-11-10': { n: { message_delivered: 1, message_clicked: 1 } } } },
    // Active before the range only.
    { buckets: { '2026-10-31': { n: { app_open: 3 } } } },
    // Another visitor who purchased (not first purchase in the cohort).
    {
      lifecycle: { registeredAt: d('2026-01-01T00:00:00') },
      buckets: { '2026-11-20': { n: { purchase: 1 }, amount: { purchase: 5000 } } },
    },
  ]);
  expect(c).toEqual({
    visit: 5,
    register: 3,
    realName: 2,
    cardBound: 1,
    firstPurchase: 1,
    purchases: 3,
    purchaseAmount: 20_000,
  });
  const s = funnelStats(c);
  expect(s.stepRates).toEqual({ visit: null, register: 3 / 5, realName: 2 / 3, cardBound: 1 / 2, firstPurchase: 1 });
  expect(s.registerRate).toBe(0.6);
  expect(s.investRate).toBe(1 / 3);
  expect(s.averageTicket).toBeCloseTo(20_000 / 3, 9);
  // UV × register rate × invest rate × average ticket = 5 × 0.6 × 1/3 × 6,666.67
  expect(s.investment).toBeCloseTo(6666.6667, 3);
});

test('the DOMAIN.md arithmetic: 100,000 UV, 10% register, 5% invest, 8,000 yuan ticket = 4,000,000 yuan', () => {
  const s = funnelStats({
    visit: 100_000,
    register: 10_000,
    realName: 7000,
    cardBound: 6000,
    firstPurchase: 500,
    purchases: 500,
    purchaseAmount: 4_000_000,
  });
  expect(s.registerRate).toBe(0.1);
  expect(s.investRate).toBe(0.05);
  expect(s.averageTicket).toBe(8000);
  expect(s.investment).toBeCloseTo(4_000_000, 6);
  expect(s.stepRates.firstPurchase).toBeCloseTo(500 / 6000, 12);
});

test('an empty funnel has no rates and invests nothing', () => {
  const s = funnelStats(emptyFunnel());
  expect(s).toMatchObject({ registerRate: null, investRate: null, averageTicket: null, investment: 0 });
  expect(s.stepRates.register).toBeNull();
});

test.each([
  [true, true, 'keep-investing'],
  [false, true, 'grow-carefully'],
  [true, false, 'target-better'],
  [false, false, 'watch'],
] as const)('quadrant: high traffic %s, high quality %s → %s', (traffic, quality, q) => {
  expect(quadrantOf(traffic, quality)).toBe(q);
});

test('channels are placed against the mean traffic and the platform invest rate', () => {
  const f = (visit: number, register: number, firstPurchase: number): FunnelCounts => ({
    ...emptyFunnel(),
    visit,
    register,
    firstPurchase,
  });
  const points = channelQuadrants([
    { channel: 'app_store', counts: f(4000, 1000, 80) }, // 8%
    { channel: 'douyin_ads', counts: f(3000, 1000, 20) }, // 2%
    { channel: 'referral', counts: f(1000, 500, 60) }, // 12%
    { channel: 'baidu_sem', counts: f(1000, 500, 10) }, // 2%
  ]);
  // Mean traffic 2,250; platform invest rate 170 / 3,000 = 5.67%.
  expect(points.map((p) => [p.channel, p.quadrant])).toEqual([
    ['app_store', 'keep-investing'],
    ['douyin_ads', 'target-better'],
    ['referral', 'grow-carefully'],
    ['baidu_sem', 'watch'],
  ]);
  expect(points[0]).toEqual({ channel: 'app_store', traffic: 4000, quality: 0.08, quadrant: 'keep-investing' });
});
