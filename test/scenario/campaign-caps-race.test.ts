// Frequency caps across campaigns when two campaigns plan the same users at the same instant: the
// ledger's history cannot show either campaign the other's plan yet, so the caps are held in
// atomic per-user slots. Each user ends with as many planned sends as the cap allows, no more.
import { createContactCaps, contactCapsCollection } from '../../src/store/contact-caps.js';
import { planManual } from '../../src/decide/plan-occurrence.js';
import { inlineQueue } from '../../src/deliver/run-now.js';
import { ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const USERS = Array.from({ length: 40 }, (_, i) => ({
  id: `u${String(i).padStart(2, '0')}`,
  consent: ['push' as const],
}));
const ONE_A_DAY = { perDay: { total: 1 }, quietHours: { sms: null, email: null, push: null } };

test('two campaigns planning the same users at once send each at most what the daily cap allows', async () => {
  w = await openWorld({
    label: 'caps_race',
    env: { TIDEFLOW_CHUNK_SIZE: '100' },
    campaigns: [testCampaign({ id: 'picks-a', limits: ONE_A_DAY }), testCampaign({ id: 'picks-b', limits: ONE_A_DAY })],
  });
  await seedUsers(w, USERS);
  const ports = { ...w.rt.run, queue: inlineQueue(w.rt.run) };
  await Promise.all([planManual(ports, 'picks-a'), planManual(ports, 'picks-b')]);
  const [a, b] = [await ledgerOf(w, 'picks-a'), await ledgerOf(w, 'picks-b')];
  const planned = (m: Map<string, { state: string }>, u: string): number =>
    ['planned', 'sending', 'sent'].includes(m.get(u)?.state ?? '') ? 1 : 0;
  const perUser = USERS.map((u) => planned(a, u.id) + planned(b, u.id));
  expect(perUser.filter((n) => n !== 1)).toEqual([]);
  // The user not planned by one campaign is skipped for the cap, with its reason.
  const skipped = [...a.values(), ...b.values()].filter((d) => d.state === 'skipped');
  expect(skipped).toHaveLength(USERS.length);
  expect(new Set(skipped.map((d) => d.reason))).toEqual(new Set(['frequency-cap']));
});

test('slots: taken once per delivery key, refused when full, and a send refused for the week gives its day back', async () => {
  w = await openWorld({ label: 'caps_slots', campaigns: [testCampaign()] });
  const caps = createContactCaps(w.db);
  const now = new Date('2026-11-20T10:00:00+08:00');
  const req = (key: string, slots: { period: string; total?: number; channel?: number }[]) => ({
    key,
    userId: 'u1',
    channel: 'sms' as const,
    slots,
  });
  const day = { period: 'd:2026-11-20', total: 2, channel: 1 };
  expect(await caps.reserve([req('k1', [day])], now)).toEqual(new Set(['k1']));
  // The same key again (a re-run chunk) takes nothing more; another SMS that day is over the SMS cap.
  expect(await caps.reserve([req('k1', [day])], now)).toEqual(new Set(['k1']));
  expect(await caps.reserve([req('k2', [day])], now)).toEqual(new Set());
  const doc = await contactCapsCollection(w.db).findOne({ _id: 'u1~d:2026-11-20' });
  expect(doc).toMatchObject({ all: ['k1'], sms: ['k1'] });
  // A full week refuses k3 after its day slot was taken: the day slot is given back.
  const otherDay = { period: 'd:2026-11-21', total: 2 };
  const week = { period: 'w:2026-11-16', total: 1 };
  expect(await caps.reserve([req('k0', [week])], now)).toEqual(new Set(['k0']));
  expect(await caps.reserve([req('k3', [otherDay, week])], now)).toEqual(new Set());
  expect(await contactCapsCollection(w.db).findOne({ _id: 'u1~d:2026-11-21' })).toMatchObject({ all: [] });
});
