// Why a user was (not) contacted, from the command line: `simulate` lists skipped users by reason,
// and `deliveries` shows the ledger of a run filtered by status, reason and user.
import type { Command, Io } from '../../src/cli/command.js';
import { deliveriesCommand } from '../../src/cli/deliveries.js';
import { simulateCommand } from '../../src/cli/simulate.js';
import type { Config } from '../../src/config/config.js';
import type { EventInput } from '../../src/domain/event.js';
import { inHoldout } from '../../src/domain/holdout.js';
import { smsLength } from '../../src/domain/sms-length.js';
import { NotFoundError, ValidationError } from '../../src/errors.js';
import { runNow } from '../../src/deliver/run-now.js';
import { openWorld, seedUsers, type UserSpec, type World } from '../support/campaign-world.js';
import { testConfig } from '../support/factories.js';

const NOW = '2026-11-20T10:00:00+08:00';
const submits: Partial<EventInput>[] = Array.from({ length: 4 }, (_, i) => ({
  type: 'click_submit',
  ts: `2026-11-18T1${i}:00:00+08:00`,
}));
/** New customers with intent (first-purchase's segment), none in its holdout. */
const ids = (prefix: string, n: number): string[] =>
  Array.from({ length: 40 }, (_, i) => `${prefix}${i}`)
    .filter((id) => !inHoldout('first-purchase', id, 10))
    .slice(0, n);
const MUTE = ids('mute-', 4);
const REACHABLE = ids('sms-', 2);

let w: World;
let config: Config;

async function run(command: Command, args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l) };
  return { code: await command.run(args, config, io), out: out.join('\n') };
}

beforeAll(async () => {
  w = await openWorld({ label: 'deliveries_cli' });
  config = testConfig({ ...w.receivers.env, TIDEFLOW_DB: w.db.name });
  const users: UserSpec[] = [
    ...MUTE.map((id): UserSpec => ({ id, consent: [], events: submits })),
    ...REACHABLE.map((id): UserSpec => ({ id, consent: ['sms'], events: submits })),
  ];
  await seedUsers(w, users);
});
afterAll(async () => {
  await w.close();
});

test('simulate --samples 5 lists every user a reason held back, not just one', async () => {
  const { code, out } = await run(simulateCommand, ['first-purchase', '--now', NOW, '--samples', '5']);
  expect(code).toBe(0);
  expect(out).toContain('skipped by reason');
  expect(out).toContain('    no-consent 4\n');
  expect(out).toMatch(/\n {4}SMS UCS-2, \d+ characters, \d+ parts \(70 in one, 67 per part\)\n/);
  expect(out).toContain('投资需谨慎回T退订');
  for (const id of MUTE) expect(out).toMatch(new RegExp(`\\n      ${id}  sms: no-consent, push: no-consent`));
  const json = JSON.parse((await run(simulateCommand, ['first-purchase', '--now', NOW, '--json'])).out) as {
    skips: { reason: string; count: number; users: { userId: string }[] }[];
  };
  expect(json.skips).toEqual([
    { reason: 'no-consent', count: 4, users: expect.arrayContaining([expect.objectContaining({ userId: MUTE[0] })]) },
  ]);
  expect(json.skips[0]?.users).toHaveLength(3);
});

test('deliveries lists the ledger of a run: status, reason, channel, cost; filtered by status, reason and user', async () => {
  await runNow(w.rt, 'first-purchase');
  const all = await run(deliveriesCommand, ['first-purchase']);
  expect(all.code).toBe(0);
  const lines = all.out.split('\n');
  expect(lines[0]).toBe('first-purchase: 6 deliveries; cost and incentive in yuan');
  expect(lines[1]).toMatch(/^user +occurrence +status +reason +channel +cost +incentive +decided +sent\/due +detail$/);
  const sent = lines.find((l) => l.startsWith(REACHABLE[0] ?? '?'));
  // An SMS costs its parts × 0.05 yuan.
  const costs = new Set(w.receivers.sms.received.map((m) => (smsLength(m.body).parts * 0.05).toFixed(2)));
  expect(costs.size).toBe(1);
  const [cost] = [...costs];
  expect(sent).toMatch(
    new RegExp(`run-2026-11-20T02:00:00.000Z +sent +sms +${cost} +red-packet 20\\.00 +2026-11-20 10:00 \\+08:00`),
  );

  const muted = await run(deliveriesCommand, ['first-purchase', '--reason', 'no-consent', '--json']);
  const page = JSON.parse(muted.out) as { total: number; deliveries: { userId: string; state: string }[] };
  expect(page.total).toBe(4);
  expect(page.deliveries.map((d) => d.userId).sort()).toEqual([...MUTE].sort());
  expect(page.deliveries.every((d) => d.state === 'skipped')).toBe(true);

  const one = await run(deliveriesCommand, ['first-purchase', '--status', 'sent', '--user', REACHABLE[1] ?? '?']);
  expect(one.out.split('\n')).toHaveLength(3);
  expect(one.out).toContain(REACHABLE[1]);
  expect((await run(deliveriesCommand, ['first-purchase', '--status', 'failed'])).out).toBe(
    'first-purchase: no deliveries match',
  );
  const limited = await run(deliveriesCommand, ['first-purchase', '--limit', '2']);
  expect(limited.out.split('\n')[0]).toBe(
    'first-purchase: 6 deliveries (the newest 2: raise --limit for more); cost and incentive in yuan',
  );
});

test('deliveries refuses a mistyped reason or status with the choices, and an unknown campaign', async () => {
  await expect(run(deliveriesCommand, ['first-purchase', '--reason', 'no-consnt'])).rejects.toThrow(ValidationError);
  await expect(run(deliveriesCommand, ['first-purchase', '--reason', 'no-consnt'])).rejects.toMatchObject({
    issues: [{ path: '--reason', message: "unknown reason 'no-consnt' (did you mean no-consent?)" }],
  });
  await expect(run(deliveriesCommand, ['first-purchase', '--status', 'done'])).rejects.toMatchObject({
    issues: [{ path: '--status' }],
  });
  await expect(run(deliveriesCommand, ['nope'])).rejects.toThrow(NotFoundError);
});
