import { renderHtmlReport } from '../../src/report/html.js';

const header = (html: string): string => /<header>.*<\/header>/.exec(html)?.[0] ?? '';

test('the report says when it was generated, and the instant its figures are as of when that is another', () => {
  const html = renderHtmlReport({
    title: 'Tideflow demo report',
    generatedAt: new Date('2026-12-04T08:30:00Z'),
    asOf: new Date('2026-12-20T02:01:00Z'),
    tz: 'Asia/Shanghai',
  });
  expect(header(html)).toContain(
    'Generated 2026-12-04 16:30 +08:00 · figures as of 2026-12-20 10:01 +08:00 (simulated clock)',
  );
});

test('no "as of" when the figures are as of the time of generation', () => {
  const at = new Date('2026-12-04T08:30:00Z');
  expect(header(renderHtmlReport({ title: 't', generatedAt: at, asOf: at, tz: 'Asia/Shanghai' }))).not.toContain(
    'as of',
  );
  expect(header(renderHtmlReport({ title: 't', generatedAt: at, tz: 'Asia/Shanghai' }))).not.toContain('as of');
});
