// The demo's closing story on a small synthetic platform: the targeted re-engagement campaign and
// the blanket red packet run for real, the response model answers, and the report shows a positive
// lift for re-engagement and a worse cost per incremental conversion for the blanket campaign.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportStep } from '../../src/demo/report-step.js';
import { runDemo, seedPlatform, type DemoRun } from '../../src/demo/steps.js';
import { campaignReport } from '../../src/pipeline/report.js';
import { runNow } from '../../src/pipeline/run-inline.js';
import { eventsCollection } from '../../src/store/collections.js';
import { openWorld, type World } from '../support/campaign-world.js';
import { NOW } from '../support/factories.js';

let w: World;
let dir: string;
const out: string[] = [];

beforeAll(async () => {
  w = await openWorld({ label: 'report_demo' });
  dir = await mkdtemp(join(tmpdir(), 'tideflow-report-'));
  const run: DemoRun = {
    ports: { ingest: w.tf.ingest, profiles: w.tf.profiles, demo: w.tf.demo, population: w.tf.population },
    options: { seed: 42, users: 2000, days: 90, now: NOW, reset: false },
    io: { out: (l) => out.push(l), err: () => undefined },
    elapsed: () => 0,
    results: {},
  };
  await runDemo(run, [seedPlatform]);
  // Re-engagement first: it outranks the blanket campaign for users both would reach today.
  await runNow(w.rt, 'reengage-redeemed');
  await runNow(w.rt, 'blanket-red-packet');
  await runDemo(run, [reportStep({ reports: w.tf.outcomes.reports, ingest: w.tf.ingest, htmlPath: join(dir, 'report.html') })]);
}, 300_000);
afterAll(async () => {
  await w.close();
  await rm(dir, { recursive: true, force: true });
});

const later = () => ({ ...w.tf.outcomes.reports, clock: () => new Date(NOW.getTime() + 8 * 86_400_000) });

test('re-engagement adds conversions over its holdout', async () => {
  const r = await campaignReport(later(), 'reengage-redeemed');
  expect(r.cumulative.contacted).toBeGreaterThan(20);
  expect(r.cumulative.holdout.users).toBeGreaterThan(0);
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
});

test('the step prints lift and cost per incremental conversion, and where the HTML report is', async () => {
  const text = out.join('\n');
  expect(text).toContain('reengage-redeemed');
  expect(text).toMatch(/lift +[+−]\d/);
  expect(text).toContain('cost per incremental conversion: reengage-redeemed ¥');
  expect(text).toContain(`HTML report: ${join(dir, 'report.html')}`);
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  expect(html).toContain('data-chart="lift"');
  expect(html).toContain('data-chart="channel-quadrant"');
});

test('responses re-entered as purchase events; simulating again adds nothing', async () => {
  const count = () => eventsCollection(w.db).countDocuments({ _id: { $gte: 'demo-', $lt: 'demo.' } });
  const before = await count();
  expect(before).toBeGreaterThan(0);
  const again: string[] = [];
  await runDemo({
    ports: { ingest: w.tf.ingest, profiles: w.tf.profiles, demo: w.tf.demo, population: w.tf.population },
    options: { seed: 42, users: 2000, days: 90, now: NOW, reset: false },
    io: { out: (l) => again.push(l), err: () => undefined }, elapsed: () => 0, results: {},
  }, [reportStep({ reports: w.tf.outcomes.reports, ingest: w.tf.ingest, htmlPath: join(dir, 'again.html') })]);
  expect(await count()).toBe(before);
});
