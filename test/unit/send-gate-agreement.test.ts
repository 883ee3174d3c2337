// Planning and the outbox pass a send through the same channel gates: for every way a profile can
// change between the two, the outbox stops (or holds) the send for the reason planning would give.
import type { Delivery } from '../../src/domain/delivery.js';
import { decide, DEFAULT_POLICY } from '../../src/domain/gates.js';
import type { Profile } from '../../src/domain/profile.js';
import { reachOf } from '../../src/domain/reach.js';
import { checkAtSendTime } from '../../src/deliver/deliver-gate.js';
import { aCampaign, aCatalog, aRecipient, NOW } from '../support/factories.js';

const granted = { granted: true, at: new Date('2026-01-01T00:00:00Z'), source: 'signup' };
const base: Profile = { _id: 'u1', phone: '+8613800138000', timezone: 'Asia/Shanghai', consent: { sms: granted } };
const campaign = aCampaign({ channels: ['sms'] });
const planned: Delivery = {
  _id: 'c~o~u1',
  campaignId: campaign.id,
  occurrence: 'o',
  userId: 'u1',
  state: 'planned',
  priority: 0,
  decidedAt: NOW,
  updatedAt: NOW,
  channel: 'sms',
  sendAt: NOW,
  dueAt: NOW,
  timezone: 'Asia/Shanghai',
};

const atPlanning = (p: Profile, now: Date): string => {
  const d = decide({
    campaign,
    recipient: aRecipient({ userId: p._id, ...reachOf(p, 'Asia/Shanghai') }),
    now,
    history: [],
    catalog: aCatalog(),
  });
  return d.kind === 'skip' ? d.reason : d.postponed ? `later ${d.sendAt.toISOString()}` : 'send';
};
const atSendTime = (p: Profile, now: Date): string => {
  const c = checkAtSendTime(campaign, planned, p, now, DEFAULT_POLICY);
  if (c.kind === 'later') return `later ${c.until.toISOString()}`;
  return c.kind === 'go' ? 'send' : c.settlement.state === 'skipped' ? c.settlement.reason : c.settlement.state;
};

test.each([
  ['nothing changed', base, NOW, 'send'],
  ['consent withdrawn', { ...base, consent: { sms: { ...granted, granted: false } } }, NOW, 'unsubscribed'],
  ['consent gone', { ...base, consent: {} }, NOW, 'no-consent'],
  ['phone number removed', { _id: 'u1', timezone: 'Asia/Shanghai', consent: { sms: granted } }, NOW, 'no-contact'],
  [
    'phone number suppressed (hard bounce)',
    { ...base, suppressions: { sms: { to: '+8613800138000', reason: 'hard-bounce', at: NOW } } },
    NOW,
    'suppressed',
  ],
  ['inside quiet hours', base, new Date('2026-11-20T22:30:00+08:00'), 'later 2026-11-21T00:00:00.000Z'],
  [
    'moved to a zone where it is night',
    { ...base, timezone: 'America/New_York' },
    NOW,
    'later 2026-11-20T13:00:00.000Z',
  ],
])('%s: planning and sending agree', (_what, profile, now, expected) => {
  expect(atPlanning(profile, now)).toBe(expected);
  expect(atSendTime(profile, now)).toBe(expected);
});
