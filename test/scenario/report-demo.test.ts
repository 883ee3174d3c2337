import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignStep, triggerRecorder } from '../../src/demo/campaign-step.js';
import { reportStep } from '../../src/demo/report-step.js';
import { runDemo, seedPlatform, type DemoRun } from '../../src/demo/steps.js';
import { channelsFor, withChannels } from '../../src/wiring/campaigns.js';
import { campaignReport } from '../../src/track/reports.js';
import { startSandbox } from '../../src/wiring/sandbox.js';
import { eventsCollection } from '../../src/store/collections.js';
import { outcomesCollection } from '../../src/store/outcomes.js';
import { openWorld, type World } from '../support/campaign-world.js';
import { NOW } from '../support/factories.js';

const USERS = 5000;
/** The real time the report is made at; the demo's clock says NOW. */
const GENERATED = new Date('2026-12-04T08:30:00Z');
let w: World;
let dir: string;
const out: string[] = [];

beforeAll(async () => {
  w = await openWorld({ label: 'report_demo' });
  dir = await mkdtemp(join(tmpdir(), 'tideflow-report-'));
  const triggers = triggerRecorder(() => w.tf.campaigns(), w.clock);
  const run: DemoRun = {
    ports: {
      ingest: { ...w.tf.ingest, triggers: triggers.hook },
      profiles: w.tf.profiles,
      demo: w.tf.demo,
      population: w.tf.population,
    },
    // Enough users for a holdout of a few dozen in the targeted campaign.
    options: { seed: 42, users: USERS, days: 90, now: NOW, reset: false },
    io: { out: (l) => out.push(l), err: () => undefined },
    elapsed: () => 0,
    results: {},
  };
  await runDemo(run, [
    seedPlatform,
    campaignStep({
      triggers,
      runtime: async (env) => withChannels(await w.tf.campaigns(), channelsFor(w.tf.config, env)),
      providers: () =>
        startSandbox({
          config: w.tf.config,
          track: w.tf.outcomes.track,
          reports: w.tf.outcomes.reports,
          clock: w.clock,
          report: (line) => out.push(line),
        }),
    }),
    reportStep({
      reports: w.tf.outcomes.reports,
      ingest: w.tf.ingest,
      htmlPath: join(dir, 'report.html'),
      wallClock: () => GENERATED,
    }),
  ]);
}, 600_000);
afterAll(async () => {
  await w.close();
  await rm(dir, { recursive: true, force: true });
});

// Every goal window has closed by then: triggered sends go out up to 5 days after NOW, goals last 7.
const later = () => ({ ...w.tf.outcomes.reports, clock: () => new Date(NOW.getTime() + 14 * 86_400_000) });

test("re-engagement reaches its audience at launch and through the seed's redemptions", async () => {
  const rows = await outcomesCollection(w.db).find({ campaignId: 'reengage-redeemed' }).toArray();
  const launched = rows.filter((d) => d.occurrence.startsWith('run-'));
  const triggered = rows.filter((d) => d.occurrence.startsWith('evt-'));
  expect(launched.filter((d) => d.state === 'sent').length).toBeGreaterThan(10);
  // Redemptions of the last days, evaluated three days after each: re-checked, sent or recorded why not.
  expect(triggered.length).toBeGreaterThan(0);
  expect(triggered.every((d) => d.trigger?.type === 'redeem')).toBe(true);
  // Nothing is left waiting: sends postponed by quiet hours went out once they were over.
  expect(rows.filter((d) => d.state === 'planned')).toEqual([]);
});

test('re-engagement adds conversions over its holdout', async () => {
  const r = await campaignReport(later(), 'reengage-redeemed');
  expect(r.cumulative.contacted).toBeGreaterThan(20);
  expect(r.cumulative.holdout.users).toBeGreaterThan(10);
  expect(r.cumulative.lift.absolute).toBeGreaterThan(0);
  expect(r.cumulative.lift.incrementalConversions).toBeGreaterThan(0);
  expect(r.cumulative.windowsOpen).toBe(false);
});

test('the blanket red packet pays more for each conversion it adds', async () => {
  const targeted = await campaignReport(later(), 'reengage-redeemed');
  const blanket = await campaignReport(later(), 'blanket-red-packet');
  expect(blanket.cumulative.contacted).toBeGreaterThan(5 * targeted.cumulative.contacted);
  const t = targeted.cumulative.efficiency.costPerIncrementalConversion as number;
  const b = blanket.cumulative.efficiency.costPerIncrementalConversion;
  expect(t).toBeGreaterThan(0);
  // No incremental conversion at all is the worst case of all.
  if (b !== null) expect(b).toBeGreaterThan(t);
  expect(blanket.cumulative.lift.incrementalConversions).toBeLessThan(blanket.cumulative.contacted * 0.05);
});

test('the step prints lift and cost per incremental conversion, and where the HTML report is', async () => {
  const text = out.join('\n');
  expect(text).toContain('reengage-redeemed');
  expect(text).toMatch(/lift +[+−]\d/);
  expect(text).toMatch(/cost per incremental conversion: .*reengage-redeemed ¥[\d,.]+.* · blanket-red-packet ¥[\d,.]+/);
  expect(text).toContain(`HTML report: ${join(dir, 'report.html')}`);
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  expect(html).toContain('data-chart="lift"');
  expect(html).toContain('data-chart="channel-quadrant"');
});

test("the HTML report says it was generated at the real time, its figures as of the demo's later clock", async () => {
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  expect(html).toMatch(
    /Generated 2026-12-04 16:30 \+08:00 · figures as of 2026-1\d-\d\d \d\d:\d\d(:\d\d)? \+08:00 \(simulated clock\)/,
  );
});

test('the report shows delivered messages per channel: the local providers reported delivery', async () => {
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  for (const channel of ['sms', 'push', 'email']) {
    const rows = [
      ...html.matchAll(
        // columns: channel, contacted, of which unknown, delivered…
        new RegExp(`<tr><td>${channel}</td><td>([\\d,]+)</td><td>[\\d,]+</td><td>([\\d,]+)</td>`, 'g'),
      ),
    ];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + Number(r[2]?.replace(/,/g, '')), 0)).toBeGreaterThan(0);
  }
});

test('responses re-entered as purchase events; simulating again adds nothing', async () => {
  const count = () => eventsCollection(w.db).countDocuments({ _id: { $gte: 'demo-', $lt: 'demo.' } });
  const before = await count();
  expect(before).toBeGreaterThan(0);
  const again: string[] = [];
  await runDemo(
    {
      ports: { ingest: w.tf.ingest, profiles: w.tf.profiles, demo: w.tf.demo, population: w.tf.population },
      options: { seed: 42, users: USERS, days: 90, now: NOW, reset: false },
      io: { out: (l) => again.push(l), err: () => undefined },
      elapsed: () => 0,
      results: {},
    },
    [
      reportStep({
        reports: w.tf.outcomes.reports,
        ingest: w.tf.ingest,
        htmlPath: join(dir, 'again.html'),
        wallClock: () => GENERATED,
      }),
    ],
  );
  expect(await count()).toBe(before);
});
