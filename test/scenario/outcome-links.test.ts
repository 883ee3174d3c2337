// Tracked links in real messages: a campaign run sends an SMS and an email through the local
// receivers; the links printed in them are followed through the API like a recipient's phone
// would, redirect to the product's page on the platform, and the campaign report shows the clicks.
import type { RequestListener } from 'node:http';
import { createApp } from '../../src/api/app.js';
import { campaignReport } from '../../src/track/reports.js';
import { runNow } from '../../src/deliver/run-now.js';
import { eventsCollection } from '../../src/store/collections.js';
import { outcomesCollection } from '../../src/store/outcomes.js';
import { lateServer, type LateServer } from '../support/http.js';
import { browsing, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let server: LateServer;
let base: string;
let w: World;
const APP = 'https://invest.example.cn/app';

beforeAll(async () => {
  server = await lateServer();
  base = server.url;
  w = await openWorld({
    label: 'outcome_links',
    campaigns: [
      testCampaign({ id: 'sms-picks', channels: ['sms'] }),
      testCampaign({
        id: 'mail-picks',
        channels: ['email'],
        template: 'blanket-red-packet',
        product: undefined,
        priority: 5,
        incentive: { type: 'red-packet', amount: 20, minPurchase: 1000, expiryDays: 7 },
      }),
    ],
    env: { TIDEFLOW_PUBLIC_URL: base, TIDEFLOW_LINK_SECRET: 'l'.repeat(40), TIDEFLOW_APP_URL: APP },
  });
  server.handle(
    createApp({ ...w.tf, outcomes: w.tf.outcomes }, { report: () => undefined }) as unknown as RequestListener,
  );
  await seedUsers(w, [
    { id: 'ann', consent: ['sms'], riskTolerance: 'R3', events: browsing('bond') },
    { id: 'bob', consent: ['email'] },
  ]);
  await runNow(w.rt, 'sms-picks');
  await runNow(w.rt, 'mail-picks');
});
afterAll(async () => {
  await w.close();
  await server.close();
});

const TRACKED = /http:\/\/127\.0\.0\.1:\d+\/v1\/l\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const deliveryOf = async (campaignId: string) =>
  (await outcomesCollection(w.db).findOne({ campaignId, state: 'sent' }))!;

test('the SMS carries one tracked link; following it records the click and redirects to the product page', async () => {
  const sms = w.receivers.sms.received;
  expect(sms).toHaveLength(1);
  const links = sms[0]!.body.match(TRACKED) ?? [];
  expect(links).toHaveLength(1);
  const d = await deliveryOf('sms-picks');
  expect(d.product?.category).toBe('bond');
  const res = await fetch(links[0]!, { redirect: 'manual' });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe(`${APP}/products/${d.product?.id}`);
  expect((await outcomesCollection(w.db).findOne({ _id: d._id }))?.outcome).toMatchObject({ clicked: 1, clicks: 1 });
  const clicks = await eventsCollection(w.db).find({ type: 'message_clicked', userId: 'ann' }).toArray();
  expect(clicks).toEqual([
    expect.objectContaining({
      props: expect.objectContaining({ campaign: 'sms-picks', delivery: d._id, channel: 'sms' }),
    }),
  ]);
});

test('the email links the campaign page in both parts; the report counts one click per delivery', async () => {
  const mail = w.receivers.smtp.received;
  expect(mail).toHaveLength(1);
  const inText = mail[0]!.text.match(TRACKED) ?? [];
  expect(inText).toHaveLength(1);
  expect(mail[0]!.html).toContain(`href="${inText[0]}"`);
  for (let i = 0; i < 2; i++) {
    const res = await fetch(inText[0]!, { redirect: 'manual' });
    expect(res.headers.get('location')).toBe(`${APP}/campaigns/mail-picks`);
  }
  const report = await campaignReport(w.tf.outcomes.reports, 'mail-picks');
  expect(report.cumulative).toMatchObject({ contacted: 1, clicked: 1 });
  expect(report.cumulative.channels.email).toMatchObject({ contacted: 1, clicked: 1 });
  expect((await campaignReport(w.tf.outcomes.reports, 'sms-picks')).cumulative.channels.sms).toMatchObject({
    clicked: 1,
  });
});

test('a link whose token was altered goes nowhere and records nothing', async () => {
  const link = (w.receivers.sms.received[0]!.body.match(TRACKED) ?? [])[0]!;
  const forged = `${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`;
  const res = await fetch(forged, { redirect: 'manual' });
  expect(res.status).toBe(404);
  expect((await outcomesCollection(w.db).findOne({ campaignId: 'sms-picks', state: 'sent' }))?.outcome?.clicks).toBe(1);
});
