import { campaignStep, triggerRecorder } from '../../src/demo/campaign-step.js';
import { runDemo, seedPlatform, type DemoRun } from '../../src/demo/steps.js';
import { channelsFor, withChannels } from '../../src/wiring/campaigns.js';
import { startSandbox } from '../../src/wiring/sandbox.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import { createSandboxInbox } from '../../src/store/sandbox-inbox.js';
import { openWorld, type World } from '../support/campaign-world.js';
import { NOW } from '../support/factories.js';

let w: World;
const out: string[] = [];
let triggers: ReturnType<typeof triggerRecorder>;

beforeAll(async () => {
  w = await openWorld({ label: 'campaign_demo' });
  triggers = triggerRecorder(() => w.tf.campaigns(), w.clock);
  const run: DemoRun = {
    ports: {
      ingest: { ...w.tf.ingest, triggers: triggers.hook },
      profiles: w.tf.profiles,
      demo: w.tf.demo,
      population: w.tf.population,
    },
    options: { seed: 7, users: 1500, days: 60, now: NOW, reset: false },
    io: { out: (l) => out.push(l), err: () => undefined },
    elapsed: () => 0,
    results: {},
  };
  const step = campaignStep({
    triggers,
    runtime: async (env) => withChannels(await w.tf.campaigns(), channelsFor(w.tf.config, env)),
    // As `tideflow demo` runs it: the sandbox keeps the messages and reports delivery back.
    providers: () =>
      startSandbox({
        config: w.tf.config,
        track: w.tf.outcomes.track,
        reports: w.tf.outcomes.reports,
        clock: w.clock,
        inbox: createSandboxInbox(w.db),
        report: (line) => out.push(line),
      }),
  });
  await runDemo(run, [seedPlatform, step]);
}, 300_000);
afterAll(async () => {
  await w.close();
});

test("the seed's recent triggering events were scheduled, the old ones not", () => {
  const byCampaign = new Map<string, number>();
  for (const { job } of triggers.jobs) byCampaign.set(job.campaignId, (byCampaign.get(job.campaignId) ?? 0) + 1);
  expect([...byCampaign.keys()].sort()).toEqual(expect.arrayContaining(['growth-register', 'reengage-redeemed']));
  const oldest = Math.min(...triggers.jobs.map(({ job }) => new Date(job.at).getTime()));
  // Re-engagement's delay (3d) plus its `within` (2d) is the longest reach back.
  expect(NOW.getTime() - oldest).toBeLessThanOrEqual(5 * 86_400_000);
});

test('every active campaign is reported with matched, sends by channel, skips by reason and costs', async () => {
  const text = out.join('\n');
  for (const id of [
    'first-purchase',
    'reengage-redeemed',
    'growth-register',
    'growth-first-purchase',
    'growth-reinvest',
    'weekly-picks',
    'blanket-red-packet',
  ]) {
    expect(text).toContain(`\n${id}  `);
  }
  expect(text).toMatch(/matched +\d+/);
  expect(text).toMatch(/sent +\d+ \((sms|push|email) \d+/);
  expect(text).toMatch(/cost +\d+\.\d\d yuan messages, \d+\.\d\d yuan incentives/);
  expect(text).toMatch(/received by the local providers: \d+ SMS, \d+ push, \d+ email/);
  const ledger = deliveriesCollection(w.db);
  for (const id of ['first-purchase', 'blanket-red-packet', 'weekly-picks'])
    expect(await ledger.countDocuments({ campaignId: id })).toBeGreaterThan(0);
  expect(await ledger.countDocuments({ state: 'sent' })).toBeGreaterThan(100);
});

test('the local providers report delivery as real ones do: delivered on every channel, a few SMS undelivered or failed', async () => {
  const ledger = deliveriesCollection(w.db);
  const statuses = await ledger
    .aggregate<{ _id: { channel: string; status: string }; n: number }>([
      { $match: { state: 'sent' } },
      { $group: { _id: { channel: '$channel', status: '$outcome.status' }, n: { $sum: 1 } } },
    ])
    .toArray();
  const count = (channel: string, status: string): number =>
    statuses.find((s) => s._id.channel === channel && s._id.status === status)?.n ?? 0;
  for (const channel of ['sms', 'push', 'email']) expect(count(channel, 'delivered')).toBeGreaterThan(0);
  expect(count('sms', 'undelivered') + count('sms', 'failed')).toBeGreaterThan(0);
  expect(count('sms', 'undelivered') + count('sms', 'failed')).toBeLessThan(count('sms', 'delivered') / 10);
  // Every message received is in the inbox, under its user and campaign.
  const sent = await ledger.countDocuments({ state: 'sent' });
  expect(await createSandboxInbox(w.db).list({ limit: 100_000 })).toHaveLength(sent);
});
