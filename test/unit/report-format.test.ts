import { campaignSections, type CampaignReport, type DeliveryGroup } from '../../src/domain/campaign-report.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { decimal, fen, int, MINUS, pct, points, yuan } from '../../src/report/number-format.js';
import { campaignText } from '../../src/report/text.js';
import { aDeliveryGroup } from '../support/factories.js';

const NOW = new Date('2026-11-30T10:00:00+08:00');

const group = (over: Partial<DeliveryGroup>): DeliveryGroup => aDeliveryGroup({ channel: 'sms', ...over });

function report(campaignId: string, groups: DeliveryGroup[]): CampaignReport {
  const sections = campaignSections(groups, { now: NOW, tz: 'Asia/Shanghai', hasIncentive: true });
  const users = { matched: sections.cumulative.matched, contacted: sections.cumulative.contacted };
  return { campaignId, name: campaignId, holdoutPercent: 10, generatedAt: NOW, users, ...sections };
}

/** No holdout at all: 200 contacted, 20 of them bought. */
const unheld = report('unheld', [group({ count: 200, goal: 20, goalAmount: 100_000, messageCostFen: 1000 })]);

/** Contact that did worse than its holdout: every money figure is negative. */
const worse = report('worse', [
  group({ count: 100, goal: 2, goalAmount: 1000, messageCostFen: 500, incentiveFen: 100_000 }),
  group({ state: 'skipped', reason: 'holdout', count: 20, goal: 2, goalAmount: 2000 }),
]);

const ASCII_MINUS_NUMBER = /(^|[\s(¥,:])-[\d¥]/m;

test('one minus sign for counts, decimals, percentages, points and yuan; a value rounding to zero has none', () => {
  expect([int(-3), decimal(-6.62), pct(-0.639), points(-0.106), yuan(-8900), fen(-890_000)]).toEqual([
    `${MINUS}3`,
    `${MINUS}6.6`,
    `${MINUS}63.9%`,
    `${MINUS}10.6 pt`,
    `${MINUS}¥8,900.00`,
    `${MINUS}¥8,900.00`,
  ]);
  expect([int(12_345), pct(0.125, 1, true), points(0.021), yuan(1234.5), decimal(null)]).toEqual([
    '12,345',
    '+12.5%',
    '+2.1 pt',
    '¥1,234.50',
    '–',
  ]);
  expect([points(-0.0001), yuan(-0.001), decimal(-0.04)]).toEqual(['+0.0 pt', '¥0.00', '0.0']);
});

test('the text report writes every negative figure with the same minus sign', () => {
  const text = campaignText(worse, 'Asia/Shanghai').join('\n');
  expect(text).toContain(`lift         ${MINUS}8.0 pt, ${MINUS}80.0% relative`);
  expect(text).toContain(`incremental  ${MINUS}8.0 conversions, ${MINUS}¥9,000.00 invested`);
  expect(text).toContain(`invested per ¥ ${MINUS}9.0`);
  expect(text).not.toMatch(ASCII_MINUS_NUMBER);
});

test('the HTML report writes negative figures with the same minus sign as the text', () => {
  const html = renderHtmlReport({ title: 'r', generatedAt: NOW, tz: 'Asia/Shanghai', campaigns: [worse] });
  expect(html).toContain(`${MINUS}8.0 pt`);
  expect(html).toContain(`${MINUS}¥9,000.00`);
  expect(html.replace(/<(svg|style)[\s\S]*?<\/\1>/g, '')).not.toMatch(/>-[\d¥]/);
});

test('an empty holdout is "not measured" in the text, the JSON and the HTML, never +0.0 pt', () => {
  const text = campaignText(unheld, 'Asia/Shanghai').join('\n');
  expect(text).toContain('lift         not measured: the holdout is empty: no user was held out to compare with');
  expect(text).toContain('incremental  not measured');
  expect(text).not.toContain('0.0 pt');
  const json = JSON.parse(JSON.stringify(unheld)) as CampaignReport;
  expect(json.cumulative.lift).toMatchObject({
    absolute: null,
    notMeasured: 'the holdout is empty: no user was held out to compare with',
    incrementalConversions: null,
  });
  const html = renderHtmlReport({ title: 'r', generatedAt: NOW, tz: 'Asia/Shanghai', campaigns: [unheld] });
  const chart = /<svg[^>]*data-chart="lift"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
  expect(chart).toContain('>not measured<');
  expect(chart).not.toContain('pt<');
  expect(chart).not.toContain('class="point"');
  expect(html).not.toContain('0.0 pt');
});

test('the lift chart labels its axis only where it is not zero, and still draws measured campaigns', () => {
  const html = renderHtmlReport({ title: 'r', generatedAt: NOW, tz: 'Asia/Shanghai', campaigns: [unheld, worse] });
  const chart = /<svg[^>]*data-chart="lift"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
  expect(chart.match(/class="point"/g)).toHaveLength(1);
  expect(chart).toContain('>not measured<');
  expect(chart).not.toContain('>+0.0 pt<');
  expect(chart).toContain(`${MINUS}`);
});
