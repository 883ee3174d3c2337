// The HTML report in a real headless chromium: it renders from a file with no network, each chart
// carries the numbers of the report it was made from, and the console stays clean. The page and a
// screenshot are kept in test-artifacts/.
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import {
  channelQuadrants,
  emptyFunnel,
  funnelStats,
  quadrantSplit,
  type FunnelCounts,
} from '../../src/domain/funnel.js';
import { addToEngagement, emptyEngagement, engagementStats } from '../../src/domain/funnel-engagement.js';
import { campaignSections, type CampaignReport, type DeliveryGroup } from '../../src/domain/campaign-report.js';
import type { EngagementReport, FunnelReport } from '../../src/track/reports.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { ensureChromium, launchChromium } from './chromium.js';
import { aDeliveryGroup } from '../support/factories.js';

const NOW = new Date('2026-11-30T10:00:00+08:00');
const browser = await ensureChromium();
if (!browser.ok) console.warn(`browser tests skipped: ${browser.reason}`);
const maybe = browser.ok ? test : test.skip;

const group = aDeliveryGroup;

function campaign(id: string, name: string, groups: DeliveryGroup[]): CampaignReport {
  const sections = campaignSections(groups, { now: NOW, tz: 'Asia/Shanghai', hasIncentive: true });
  return {
    campaignId: id,
    name,
    holdoutPercent: 10,
    goal: { event: 'purchase', withinDays: 7, minAmount: 1000 },
    generatedAt: NOW,
    users: { matched: sections.cumulative.matched, contacted: sections.cumulative.contacted },
    ...sections,
  };
}

const campaigns = [
  campaign('reengage-redeemed', '老客召回：资金已赎回且强意愿', [
    group({
      channel: 'sms',
      count: 900,
      messageCostFen: 4500,
      incentiveFen: 2_700_000,
      delivered: 850,
      clicked: 210,
      converted: 160,
      convertedAmount: 1_600_000,
      goal: 170,
      goalAmount: 1_700_000,
      redeemed: 140,
      redeemedFen: 420_000,
    }),
    group({
      channel: 'push',
      count: 200,
      delivered: 180,
      clicked: 20,
      converted: 12,
      convertedAmount: 90_000,
      goal: 14,
      goalAmount: 100_000,
    }),
    group({ state: 'skipped', reason: 'holdout', count: 120, goal: 6, goalAmount: 60_000 }),
    group({ state: 'skipped', reason: 'no-consent', count: 80, goal: 2, goalAmount: 10_000 }),
  ]),
  campaign('blanket-red-packet', '全员红包（对照：不做定向）<script>', [
    group({
      channel: 'sms',
      count: 9000,
      messageCostFen: 45_000,
      incentiveFen: 18_000_000,
      delivered: 8500,
      clicked: 400,
      converted: 300,
      convertedAmount: 900_000,
      goal: 330,
      goalAmount: 1_000_000,
      redeemed: 290,
      redeemedFen: 580_000,
    }),
    group({ state: 'skipped', reason: 'holdout', count: 1000, goal: 30, goalAmount: 95_000 }),
  ]),
];

const channelCounts: [string, FunnelCounts][] = [
  [
    'app_store',
    {
      ...emptyFunnel(),
      visit: 3800,
      register: 1200,
      realName: 900,
      cardBound: 700,
      firstPurchase: 120,
      purchases: 300,
      purchaseAmount: 2_400_000,
    },
  ],
  [
    'douyin_ads',
    {
      ...emptyFunnel(),
      visit: 3200,
      register: 1000,
      realName: 500,
      cardBound: 300,
      firstPurchase: 25,
      purchases: 40,
      purchaseAmount: 200_000,
    },
  ],
  [
    'referral',
    {
      ...emptyFunnel(),
      visit: 1200,
      register: 500,
      realName: 420,
      cardBound: 380,
      firstPurchase: 80,
      purchases: 150,
      purchaseAmount: 1_800_000,
    },
  ],
  [
    'baidu_sem',
    {
      ...emptyFunnel(),
      visit: 1800,
      register: 400,
      realName: 200,
      cardBound: 120,
      firstPurchase: 10,
      purchases: 15,
      purchaseAmount: 90_000,
    },
  ],
];
const rows = channelCounts.map(([channel, counts]) => ({ channel, counts }));
const quadrants = channelQuadrants(rows);
const total = channelCounts.reduce((s, [, c]) => {
  for (const k of Object.keys(s) as (keyof FunnelCounts)[]) s[k] += c[k];
  return s;
}, emptyFunnel());
const range = { first: '2026-11-01', last: '2026-11-30' };
const funnel: FunnelReport = {
  range,
  generatedAt: NOW,
  overall: funnelStats(total),
  split: quadrantSplit(rows),
  channels: rows.map((r, i) => ({
    channel: r.channel,
    stats: funnelStats(r.counts),
    ...(quadrants[i] ? { point: quadrants[i] } : {}),
  })),
};
const activity = emptyEngagement();
for (let u = 0; u < 40; u++) {
  const buckets = Object.fromEntries(
    Array.from({ length: 30 }, (_, d) => d)
      .filter((d) => (d * 7 + u) % 5 === 0)
      .map((d) => [`2026-11-${String(d + 1).padStart(2, '0')}`, { n: { app_open: 1 } }]),
  );
  addToEngagement(activity, { buckets }, range, 'Asia/Shanghai');
}
const engagement: EngagementReport = {
  ...engagementStats(activity, range),
  range,
  generatedAt: NOW,
  pushDelivery: { sent: 200, delivered: 180, rate: 0.9 },
};

const html = renderHtmlReport({
  title: 'Tideflow report',
  generatedAt: NOW,
  tz: 'Asia/Shanghai',
  campaigns,
  funnel,
  engagement,
});

async function numbers(page: Page, selector: string, attribute: string): Promise<(number | null)[]> {
  return page.$$eval(
    selector,
    (els, attr) =>
      els.map((e) => {
        const v = e.getAttribute(attr);
        return v === null || v === 'null' ? null : Number(v);
      }),
    attribute,
  );
}

maybe(
  "the report renders offline in chromium, its charts carry the report's numbers, and the console stays clean",
  async () => {
    await mkdir('test-artifacts', { recursive: true });
    const file = resolve('test-artifacts/report.html');
    await writeFile(file, html);
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      expect(await page.title()).toBe('Tideflow report');
      // Times read in the platform's zone, with its offset.
      expect(await page.locator('header p').innerText()).toContain('Generated 2026-11-30 10:00 +08:00');
      expect(await page.locator('td', { hasText: 'scheduled 2026-11-04 11:00 +08:00' }).count()).toBeGreaterThan(0);
      // Lift: one point per campaign at its lift, with its interval.
      expect(await numbers(page, 'svg[data-chart="lift"] circle.point', 'data-lift')).toEqual(
        campaigns.map((c) => c.cumulative.lift.absolute),
      );
      expect(await numbers(page, 'svg[data-chart="lift"] circle.point', 'data-low')).toEqual(
        campaigns.map((c) => c.cumulative.lift.absoluteInterval?.low ?? null),
      );
      expect(await page.locator('svg[data-chart="lift"] line.ci').count()).toBe(3 * campaigns.length);
      // Each campaign's funnel: five bars with the report's counts, drawn longest for the largest.
      for (const c of campaigns) {
        const sel = `svg[data-chart="campaign-funnel-${c.campaignId}"] rect.bar`;
        const s = c.cumulative;
        expect(await numbers(page, sel, 'data-value')).toEqual([
          s.matched,
          s.contacted,
          s.delivered,
          s.clicked,
          s.converted,
        ]);
        const widths = await page.$$eval(sel, (els) => els.map((e) => e.getBoundingClientRect().width));
        expect(widths.every((w) => w > 0)).toBe(true);
        expect(widths[0]).toBe(Math.max(...widths));
      }
      // Platform funnel and the channel quadrant.
      const o = funnel.overall.counts;
      expect(await numbers(page, 'svg[data-chart="platform-funnel"] rect.bar', 'data-value')).toEqual([
        o.visit,
        o.register,
        o.realName,
        o.cardBound,
        o.firstPurchase,
      ]);
      expect(await numbers(page, 'svg[data-chart="channel-quadrant"] circle.point', 'data-traffic')).toEqual(
        quadrants.map((p) => p.traffic),
      );
      expect(
        await page.$$eval('svg[data-chart="channel-quadrant"] circle.point', (els) =>
          els.map((e) => e.getAttribute('data-quadrant')),
        ),
      ).toEqual(['keep-investing', 'target-better', 'grow-carefully', 'watch']);
      expect(await numbers(page, 'svg[data-chart="dau"] rect.bar', 'data-value')).toEqual(
        engagement.daily.map((d) => d.active),
      );
      // Text from the data is escaped, never markup.
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('h2', { hasText: '全员红包（对照：不做定向）<script>' }).count()).toBe(1);

      await page.screenshot({ path: 'test-artifacts/report.png', fullPage: true });
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await close();
    }
  },
);

maybe(
  'the report fits a 1280 px desktop and a 390 px phone: no sideways scrolling, no table past its card',
  async () => {
    await mkdir('test-artifacts', { recursive: true });
    const file = resolve('test-artifacts/report.html');
    await writeFile(file, html);
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        await page.screenshot({ path: `test-artifacts/report-${width}.png`, fullPage: true });
        const scroll = await page.$eval('html', (root) => ({ width: root.scrollWidth, viewport: root.clientWidth }));
        expect({ width, scrollWidth: scroll.width }).toEqual({ width, scrollWidth: scroll.viewport });
        expect({
          width,
          overflowing: await page.$$eval('table', (tables) => {
            // Tables whose visible right edge passes their card's inner edge (a scrolling wrapper clips what it scrolls).
            const out: string[] = [];
            const style = (e: (typeof tables)[number]) => e.ownerDocument.defaultView?.getComputedStyle(e);
            tables.forEach((t, i) => {
              const card = t.closest('section');
              if (!card) return;
              let right = t.getBoundingClientRect().right;
              for (let e = t.parentElement; e && e !== card; e = e.parentElement)
                if (style(e)?.overflowX !== 'visible') right = Math.min(right, e.getBoundingClientRect().right);
              const inner = card.getBoundingClientRect().right - parseFloat(style(card)?.borderRightWidth ?? '0');
              if (right > inner + 0.5) out.push(`table ${i} in #${card.id}: ${right} > ${inner}`);
            });
            return out;
          }),
        }).toEqual({ width, overflowing: [] });
        // Every table can still be read whole: scrolled inside its card where it is wider.
        const hidden = await page.$$eval(
          'table',
          (ts) =>
            ts.filter((t) => {
              const box = t.parentElement;
              return (
                box !== null &&
                t.scrollWidth > box.clientWidth + 1 &&
                box.ownerDocument.defaultView?.getComputedStyle(box).overflowX !== 'auto'
              );
            }).length,
        );
        expect(hidden).toBe(0);
        // On a desktop every table fits its card whole, with nothing to scroll.
        if (width >= 1280)
          expect(
            await page.$$eval(
              'table',
              (ts) => ts.filter((t) => t.scrollWidth > (t.parentElement?.clientWidth ?? 0) + 1).length,
            ),
          ).toBe(0);
      }
    } finally {
      await close();
    }
  },
);
