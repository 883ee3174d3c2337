import { randomBytes } from 'node:crypto';
import { connect } from '../../src/store/connection.js';
import { tideflow } from '../support/cli.js';
import { testUri } from '../support/test-db.js';

const dbName = `t_no_provider_${randomBytes(4).toString('hex')}`;
/** No channel variable at all: a fresh clone before any provider is set up. */
const env = (): Record<string, string> => ({ MONGODB_URI: testUri(), TIDEFLOW_DB: dbName });

afterAll(async () => {
  const db = await connect(testUri(), dbName);
  await db.dropDatabase();
  await db.close();
});

test('simulate needs no provider: each channel of the campaign is assumed, and the output says so per channel', async () => {
  const run = await tideflow(['simulate', 'weekly-picks', '--samples', '0'], env());
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^weekly-picks {2}dry run at .*: nothing is written, sent or granted$/m);
  expect(run.stdout).toContain(
    '  push: not configured, assumed for this dry run; a real run would not send on it (set PUSH_GATEWAY_URL and PUSH_GATEWAY_TOKEN, or run with --sandbox)',
  );
  expect(run.stdout).toMatch(/^ {2}email: not configured, assumed for this dry run; .*SMTP_HOST/m);
  expect(run.stdout).not.toMatch(/^ {2}sms:/m);

  const json = JSON.parse((await tideflow(['simulate', 'first-purchase', '--json'], env())).stdout) as {
    assumedChannels: string[];
  };
  expect(json.assumedChannels).toEqual(['sms', 'push', 'email']);
});

test('a real run with no provider is refused, naming the variables to set per channel and the sandbox', async () => {
  const run = await tideflow(['run', 'first-purchase'], env());
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(
    'campaign first-purchase sends on sms, push, email; none of these channels is configured',
  );
  expect(run.stderr).toContain('  sms: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
  expect(run.stderr).toContain('  push: PUSH_GATEWAY_URL and PUSH_GATEWAY_TOKEN');
  expect(run.stderr).toContain('  email: SMTP_HOST');
  expect(run.stderr).toContain('--sandbox');
});
