// Every collection Tideflow writes is declared as a model in src/store/models, and the indexes on
// the server are exactly the ones the models declare.
import { auditCli } from '../../src/wiring/access.js';
import { runNow } from '../../src/deliver/run-now.js';
import { createApiKey } from '../../src/access/api-keys.js';
import { MODELS } from '../../src/store/models/index.js';
import { openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World;

beforeAll(async () => {
  w = await openWorld({
    label: 'store_models',
    campaigns: [testCampaign({ limits: { quietHours: { sms: null, email: null, push: null } } })],
  });
});
afterAll(async () => {
  await w.close();
});

test('the indexes on the server are the ones the models declare, with their names and options', async () => {
  for (const model of MODELS) {
    const m = model(w.db);
    const declared = m.schema.indexes().map(([keys, opts]) => ({ name: opts.name as string, key: keys }));
    const onServer = await w.db
      .collection(m.collection.collectionName)
      .listIndexes()
      .toArray()
      .catch(() => []);
    expect({ collection: m.collection.collectionName, indexes: onServer.filter((i) => i.name !== '_id_') }).toEqual({
      collection: m.collection.collectionName,
      indexes: declared.map((d) => expect.objectContaining(d) as unknown),
    });
  }
  const caps = await w.db.collection('contactCaps').listIndexes().toArray();
  expect(caps.find((i) => i.name === 'expiresAt_ttl')).toMatchObject({ expireAfterSeconds: 0 });
});

test('every collection a campaign run, a key and an audit row write is declared by a model', async () => {
  await seedUsers(w, [{ id: 'm1' }, { id: 'm2' }]);
  await runNow(w.rt, 'test-picks');
  await createApiKey(w.tf.access, { role: 'viewer', actor: 'test' });
  await auditCli(w.tf, 'rules.load');
  const declared = new Set(MODELS.map((m) => m(w.db).collection.collectionName));
  const written = (await w.db.listCollections()).map((c) => c.name).filter((n) => !n.startsWith('system.'));
  expect(written.filter((n) => !declared.has(n))).toEqual([]);
  expect(written).toEqual(expect.arrayContaining(['events', 'profiles', 'deliveries', 'campaign_runs', 'apiKeys']));
});

test('queries through the models are sanitized: an operator where an id belongs is refused, never run', async () => {
  const { key } = await createApiKey(w.tf.access, { role: 'admin', actor: 'test' });
  const id = key.split('_')[1] ?? '';
  expect(await w.tf.access.keys.get(id)).toMatchObject({ id, role: 'admin' });
  await w.rt.budgets.ensure('test-picks', 100);
  await w.rt.runs.open(
    { _id: 'r~1', campaignId: 'test-picks', occurrence: '1', kind: 'manual', now: w.clock() },
    w.clock(),
  );
  const injected = { $ne: 'nothing' } as unknown as string;
  const refused = /Cast to string failed .* at path "_id"/;
  await expect(w.tf.access.keys.get(injected)).rejects.toThrow(refused);
  await expect(w.rt.runs.get(injected)).rejects.toThrow(refused);
  await expect(w.rt.budgets.get(injected)).rejects.toThrow(refused);
});
