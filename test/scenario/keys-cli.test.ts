import { randomBytes } from 'node:crypto';
import { connect } from '../../src/store/connection.js';
import { tideflow } from '../support/cli.js';
import { testUri } from '../support/test-db.js';

const dbName = `t_keys_cli_${randomBytes(4).toString('hex')}`;
const env = (): Record<string, string> => ({ MONGODB_URI: testUri(), TIDEFLOW_DB: dbName });

afterAll(async () => {
  const db = await connect(testUri(), dbName);
  await db.dropDatabase();
  await db.close();
});

test('keys create prints the key once; list shows id, role and name, never the key; revoke marks it; audit shows both', async () => {
  const created = await tideflow(['keys', 'create', '--role', 'operator', '--name', 'ops desk'], env());
  expect(created.code).toBe(0);
  const key = created.stdout.trim();
  expect(key).toMatch(/^tfk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  const id = key.slice(4, 12);
  expect(created.stderr).toBe(`created key ${id} (operator, ops desk); it is shown only this once: store it now\n`);

  const listed = await tideflow(['keys', 'list'], env());
  expect(listed.stdout).toMatch(new RegExp(`^${id}  operator  active .* by cli:\\S+  ops desk$`, 'm'));
  expect(listed.stdout).not.toContain(key.slice(13));
  // Times in the platform's zone (Asia/Shanghai by default), with the offset.
  expect(listed.stdout).toMatch(
    new RegExp(`^${id} .* created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d(:\\d\\d)? \\+08:00 by cli:`, 'm'),
  );
  const db = await connect(testUri(), dbName);
  try {
    expect(JSON.stringify(await db.collection('apiKeys').find({}).toArray())).not.toContain(key.slice(13));
  } finally {
    await db.close();
  }

  expect(await tideflow(['keys', 'revoke', id], env())).toMatchObject({ code: 0, stdout: `revoked key ${id}\n` });
  const json = JSON.parse((await tideflow(['keys', 'list', '--json'], env())).stdout) as {
    id: string;
    revokedAt?: string;
  }[];
  expect(json.find((k) => k.id === id)?.revokedAt).toEqual(expect.any(String));

  const audit = await tideflow(['audit', '--since', '1h'], env());
  expect(audit.code).toBe(0);
  expect(audit.stdout).toMatch(new RegExp(`cli:\\S+ +key\\.revoke +${id}\\n`));
  expect(audit.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? \+08:00 {2}cli:/m);
  expect(audit.stdout).toMatch(new RegExp(`cli:\\S+ +key\\.create +${id}  \\{"role":"operator","name":"ops desk"\\}`));
});

test('campaign commands run on the server are audited as the CLI user, before they act', async () => {
  await tideflow(['simulate', 'first-purchase', '--samples', '0'], env());
  expect((await tideflow(['audit', '--json', '--limit', '1'], env())).stdout).toMatch(
    /"action": "campaign\.simulate",\s+"target": "first-purchase"/,
  );
});

test('what the CLI logs on stderr is masked', async () => {
  const run = await tideflow(['profile', '+8613800138000'], env());
  expect(run).toMatchObject({ code: 1, stderr: "tideflow profile: no profile for user '+*********8000'\n" });
});

test.each([
  [['keys', 'create'], '--role: required: ingest, viewer, operator or admin'],
  [
    ['keys', 'create', '--role', 'root'],
    '--role: Invalid option: expected one of "ingest"|"viewer"|"operator"|"admin"',
  ],
  [['keys', 'create', '--role', 'viewer', '--name', '$bad'], '--name: up to 64 letters'],
  [['keys', 'revoke'], '<id>: exactly one key id'],
  [['keys', 'revoke', 'NOT-AN-ID'], '<id>: a key id: 8 lowercase letters or digits'],
  [['keys', 'revoke', 'zzzzzzzz'], 'tideflow keys: no API key with id "zzzzzzzz"'],
  [['keys', 'list', '--role', 'viewer'], '--role: not an option of keys list'],
  [['keys', 'drop'], 'usage: tideflow keys create'],
  [['audit', '--since', 'yesterday'], '--since: an ISO-8601 instant with offset or a duration'],
])('tideflow %j exits 1 naming the problem', async (args, message) => {
  const run = await tideflow(args, env());
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(message);
});
