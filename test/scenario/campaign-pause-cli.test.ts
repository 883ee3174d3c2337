// `tideflow pause|resume <campaign>` over the built CLI: the status override the API sets, audited
// as the CLI user; running a paused campaign is refused with exit 2 and a message, nothing planned.
import { startLocalProviders, type LocalProviders } from '../../src/receivers/start-receivers.js';
import { campaignRunModel } from '../../src/store/models/campaign-runs.js';
import { connect } from '../../src/store/connection.js';
import { tideflow } from '../support/cli.js';
import { testUri } from '../support/test-db.js';

const DB = `t_pausecli_${process.pid}`;
const NOW = '2026-11-20T10:00:00+08:00';
let providers: LocalProviders;
const env = (): Record<string, string> => ({ MONGODB_URI: testUri(), TIDEFLOW_DB: DB, ...providers.env });

beforeAll(async () => {
  providers = await startLocalProviders();
});
afterAll(async () => {
  await providers.close();
  const db = await connect(testUri(), DB);
  await db.dropDatabase();
  await db.close();
});

test('pause, a refused run, resume, a run: each printed, audited, and the paused run plans nothing', async () => {
  const paused = await tideflow(['pause', 'weekly-picks'], env());
  expect(paused).toMatchObject({ code: 0, stdout: 'weekly-picks: paused\n' });

  const refused = await tideflow(['run', 'weekly-picks', '--now', NOW], env());
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("tideflow run: campaign 'weekly-picks' is paused: nothing was run");
  expect(refused.stderr).toContain('tideflow resume weekly-picks');
  expect(refused.stderr).not.toContain('unexpected failure');
  const db = await connect(testUri(), DB);
  expect(await campaignRunModel(db).countDocuments({}).exec()).toBe(0);
  await db.close();

  const resumed = await tideflow(['resume', 'weekly-picks'], env());
  expect(resumed).toMatchObject({ code: 0, stdout: 'weekly-picks: active\n' });
  const ran = await tideflow(['run', 'weekly-picks', '--now', NOW], env());
  expect(ran.code).toBe(0);
  expect(ran.stdout).toContain('weekly-picks  occurrence run-');
  expect(ran.stdout).toContain('audience at 2026-11-20 10:00 +08:00');

  const audit = await tideflow(['audit', '--json'], env());
  const actions = (JSON.parse(audit.stdout) as { action: string; target?: string; actor: string }[])
    .map((e) => `${e.action} ${e.target ?? ''} ${e.actor.startsWith('cli:') ? 'cli' : e.actor}`)
    .reverse();
  expect(actions).toEqual([
    'campaign.pause weekly-picks cli',
    'campaign.run weekly-picks cli',
    'campaign.resume weekly-picks cli',
    'campaign.run weekly-picks cli',
  ]);
});

test('pause and resume name an unknown campaign and need one campaign argument', async () => {
  expect(await tideflow(['pause', 'nope'], env())).toMatchObject({ code: 1 });
  expect((await tideflow(['pause', 'nope'], env())).stderr).toContain("no campaign 'nope'");
  expect(await tideflow(['resume'], env())).toMatchObject({ code: 1, stderr: 'usage: tideflow resume <campaign>\n' });
});
