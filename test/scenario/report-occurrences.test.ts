// Users decided on in several occurrences: the report counts each user once in its totals and
// says that its funnel sums the occurrences.
import { campaignReport } from '../../src/track/reports.js';
import { runNow } from '../../src/deliver/run-now.js';
import { campaignText } from '../../src/report/text.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

const USERS = ['ann', 'bob', 'cat', 'dan'];
const twice = testCampaign({ id: 'twice', channels: ['push'], goal: { event: 'purchase', withinDays: 3 } });

let w: World;

beforeAll(async () => {
  w = await openWorld({ label: 'report_occurrences', campaigns: [twice] });
  await seedUsers(
    w,
    USERS.map((id) => (id === 'dan' ? { id, consent: ['sms' as const] } : { id })),
  );
  await runNow(w.rt, 'twice');
  w.clock.set('2026-11-27T02:00:00Z');
  await runNow(w.rt, 'twice');
  w.clock.set('2026-11-30T02:00:00Z');
});
afterAll(async () => {
  await w.close();
});

test('two occurrences over the same four users: totals count each user once, the funnel sums the occurrences', async () => {
  const r = await campaignReport(w.tf.outcomes.reports, 'twice');
  expect(r.occurrences.map((o) => o.matched)).toEqual([4, 4]);
  expect(r.cumulative.matched).toBe(8);
  expect(r.users).toEqual({ matched: 4, contacted: 3 });
  const text = campaignText(r, 'Asia/Shanghai');
  expect(text[1]).toBe(
    '  users        4 matched, 3 contacted (each once over 2 occurrences; the funnel below counts a user once per occurrence)',
  );
  expect(text.join('\n')).toContain('per occurrence:');
  const html = renderHtmlReport({ title: 'r', generatedAt: r.generatedAt, tz: 'Asia/Shanghai', campaigns: [r] });
  expect(html).toContain(
    'users 4 matched, 3 contacted (each once; the figures below sum 2 occurrences, a user once in each)',
  );
});

test('a range holding one occurrence counts the users of that one only', async () => {
  const r = await campaignReport(w.tf.outcomes.reports, 'twice', { from: '2026-11-27', to: '2026-11-27' });
  expect(r.occurrences).toHaveLength(1);
  expect(r.users.matched).toBe(4);
  expect(campaignText(r, 'Asia/Shanghai')[1]).toBe(`  users        4 matched, ${r.users.contacted} contacted`);
});
