// The campaign endpoints over real HTTP: list, read, simulate, run, pause/resume, the ledger pages.
import { createApp } from '../../src/api/app.js';
import { campaignApi } from '../../src/cli/serve.js';
import { planOccurrence } from '../../src/decide/plan-occurrence.js';
import { drainOutbox, inlineQueue } from '../../src/deliver/run-now.js';
import { apiKey } from '../support/api-key.js';
import { openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';
import { listen, send, type Listening } from '../support/http.js';

let w: World;
let api: Listening;
let key: string;

beforeAll(async () => {
  w = await openWorld({
    label: 'campaign_api',
    campaigns: [testCampaign(), testCampaign({ id: 'draft-one', status: 'draft' })],
  });
  await seedUsers(w, [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'quiet', consent: [] }]);
  // The worker's part, done in this process: plan the queued occurrence and send what is due.
  const worker = {
    plan: async (d: { campaignId: string; kind: 'manual' | 'scheduled'; occurrence: string }) => {
      await planOccurrence({ ...w.rt.run, queue: inlineQueue(w.rt.run) }, d.campaignId, d.kind, d.occurrence);
      await drainOutbox(w.rt.deliver);
    },
  };
  api = await listen(
    createApp({ ...w.tf, campaignApi: campaignApi(w.rt, worker, w.clock) }, { report: () => undefined }),
  );
  key = await apiKey(w.tf.db, 'operator');
});
afterAll(async () => {
  await api.close();
  await w.close();
});

type Json = Record<string, unknown>;
const get = async (path: string): Promise<{ status: number; body: Json }> =>
  (await send(`${api.url}${path}`, 'GET', undefined, key)) as { status: number; body: Json };
const post = async (path: string, body?: unknown): Promise<{ status: number; body: Json }> =>
  (await send(`${api.url}${path}`, 'POST', body ?? {}, key)) as { status: number; body: Json };

test('lists and reads campaigns with their status in force; an unknown one is 404', async () => {
  const list = await get('/v1/campaigns');
  expect((list.body.campaigns as Json[]).map((c) => [c.id, c.status])).toEqual([
    ['test-picks', 'active'],
    ['draft-one', 'draft'],
  ]);
  expect((await get('/v1/campaigns/nope')).status).toBe(404);
  expect((await get('/v1/campaigns/test-picks')).body).toMatchObject({
    campaign: { id: 'test-picks' },
    budget: null,
    runs: [],
    tally: { matched: 0 },
  });
});

test('simulate answers the dry run and writes nothing', async () => {
  const res = await post('/v1/campaigns/test-picks/simulate', { now: '2026-11-20T10:00:00+08:00', samples: 1 });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    campaignId: 'test-picks',
    tally: { matched: 4, sent: { push: 3 }, skipped: { 'no-consent': 1 } },
  });
  expect((res.body.samples as Json[]).filter((s) => s.decision === 'send')).toHaveLength(1);
  expect((await get('/v1/campaigns/test-picks/deliveries')).body).toMatchObject({ total: 0 });
  expect((await post('/v1/campaigns/test-picks/simulate', { now: 'yesterday' })).status).toBe(400);
});

test("preview answers one user's message as it would be sent, with the gates; bad queries are 400, unknown users 404", async () => {
  const res = await get('/v1/campaigns/test-picks/preview?userId=a&now=2026-11-20T10:00:00%2B08:00');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    campaignId: 'test-picks',
    userId: 'a',
    deliveryId: 'test-picks~run-2026-11-20T02:00:00.000Z~a',
    inAudience: true,
    decision: { kind: 'send', channel: 'push' },
    channel: 'push',
    message: { to: 'push-token-a', text: expect.stringContaining('基金有风险') },
  });
  expect((res.body.gates as Json[]).every((g) => g.outcome === 'pass')).toBe(true);
  const quiet = await get('/v1/campaigns/test-picks/preview?userId=quiet&channel=email');
  expect(quiet.body).toMatchObject({ decision: { kind: 'skip', reason: 'no-consent' }, channel: 'email' });
  expect((await get('/v1/campaigns/test-picks/preview')).status).toBe(400);
  expect((await get('/v1/campaigns/test-picks/preview?userId=a&channel=fax')).status).toBe(400);
  expect((await get('/v1/campaigns/test-picks/preview?userId=a&channel=sms')).status).toBe(400);
  expect((await get('/v1/campaigns/test-picks/preview?userId=nobody')).status).toBe(404);
  expect((await get('/v1/campaigns/test-picks/deliveries')).body).toMatchObject({ total: 0 });
});

test('run is queued (202); the ledger then pages by campaign, by state and reason, and by user', async () => {
  const res = await post('/v1/campaigns/test-picks/run');
  expect(res.status).toBe(202);
  expect(res.body).toEqual({
    runId: `test-picks~${String(res.body.occurrence)}`,
    occurrence: 'run-2026-11-20T02:00:00.000Z',
  });
  const page = await get('/v1/campaigns/test-picks/deliveries?status=sent&limit=2');
  expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
  expect(page.body.deliveries as Json[]).toHaveLength(2);
  expect((page.body.deliveries as Json[])[0]).toMatchObject({
    id: expect.stringContaining('test-picks~run-'),
    state: 'sent',
    channel: 'push',
  });
  expect((page.body.deliveries as Json[])[0]).not.toHaveProperty('lease');
  expect((await get('/v1/campaigns/test-picks/deliveries?reason=no-consent')).body).toMatchObject({ total: 1 });
  expect((await get('/v1/campaigns/test-picks/deliveries?userId=a')).body).toMatchObject({
    total: 1,
    deliveries: [{ userId: 'a' }],
  });
  expect((await get('/v1/profiles/a/deliveries')).body).toMatchObject({
    total: 1,
    deliveries: [{ userId: 'a', campaignId: 'test-picks' }],
  });
  expect((await get('/v1/campaigns/test-picks')).body).toMatchObject({
    tally: { matched: 4, sent: { push: 3 } },
    runs: [{ matched: 4, status: 'planned' }],
  });
});

test('hostile or malformed queries are 400 before reaching the database', async () => {
  expect((await get('/v1/campaigns/test-picks/deliveries?status=lost')).status).toBe(400);
  expect((await get('/v1/campaigns/test-picks/deliveries?status[$ne]=sent')).status).toBe(400);
  expect((await get('/v1/campaigns/test-picks/deliveries?limit=100000')).status).toBe(400);
  expect((await get('/v1/profiles/$where/deliveries')).status).toBe(400);
});

test('a run takes no options: an unknown key or a now is 400 naming the key, and nothing is queued', async () => {
  const before = (await get('/v1/campaigns/test-picks')).body.runs as Json[];
  for (const body of [{ now: '2026-11-21T10:00:00+08:00' }, { force: true }]) {
    const res = await post('/v1/campaigns/test-picks/run', body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(Object.keys(body)[0]);
  }
  expect((await get('/v1/campaigns/test-picks')).body.runs).toEqual(before);
});

test('pause holds a campaign: a run of it is refused (409, nothing queued); resume lets it go; drafts cannot be either', async () => {
  expect((await post('/v1/campaigns/test-picks/pause')).body).toMatchObject({ campaign: { status: 'paused' } });
  expect((await get('/v1/campaigns')).body.campaigns).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: 'test-picks', status: 'paused' })]),
  );
  w.clock.advance(60_000);
  const before = (await get('/v1/campaigns/test-picks/deliveries')).body.total;
  const paused = await post('/v1/campaigns/test-picks/run');
  expect(paused.status).toBe(409);
  expect(JSON.stringify(paused.body)).toContain("campaign 'test-picks' is paused");
  expect((await get('/v1/campaigns/test-picks/deliveries')).body.total).toBe(before);
  expect((await post('/v1/campaigns/test-picks/resume')).body).toMatchObject({ campaign: { status: 'active' } });
  expect((await post('/v1/campaigns/test-picks/run')).status).toBe(202);
  expect((await post('/v1/campaigns/draft-one/pause')).status).toBe(409);
});

test('simulate needs no provider: channels none is configured for are assumed, and the answer names them', async () => {
  const bare = { ...w.rt, simulate: { ...w.rt.simulate, channels: [] } };
  const noProviders = await listen(
    createApp(
      { ...w.tf, campaignApi: campaignApi(bare, { plan: () => Promise.resolve() }, w.clock) },
      {
        report: () => undefined,
      },
    ),
  );
  try {
    const res = (await send(
      `${noProviders.url}/v1/campaigns/test-picks/simulate`,
      'POST',
      { now: '2026-11-20T10:00:00+08:00', samples: 0 },
      key,
    )) as { status: number; body: Json };
    expect(res.status).toBe(200);
    expect(res.body.assumedChannels).toEqual(['push', 'email']);
    expect(res.body.tally).toMatchObject({ matched: 4 });
  } finally {
    await noProviders.close();
  }
});
