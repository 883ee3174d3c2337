// Carriers bill an SMS by its parts: the ledger's message cost and a budget that includes message
// cost follow the parts of the SMS as sent.
import { smsLength } from '../../src/domain/sms-length.js';
import { runNow } from '../../src/deliver/run-now.js';
import { budgetsCollection } from '../../src/store/budgets.js';
import { ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

const PACKET_FEN = 2000;
const SMS_FEN = 5;
let w: World;

beforeAll(async () => {
  const campaign = testCampaign({
    channels: ['sms'],
    template: 'first-purchase',
    smsSignature: '潮汐基金',
    incentive: { type: 'red-packet', amount: PACKET_FEN / 100, minPurchase: 1000, expiryDays: 7 },
    budget: { cap: 1000, includeMessageCost: true },
  });
  w = await openWorld({ campaigns: [campaign], label: 'sms_cost', env: { TIDEFLOW_SMS_COST: '0.05' } });
  await seedUsers(w, [{ id: 'long', consent: ['sms'] }]);
});
afterAll(async () => {
  await w.close();
});

test('an SMS of several parts costs parts × TIDEFLOW_SMS_COST, in the ledger and in the budget', async () => {
  await runNow(w.rt, 'test-picks');
  const [sms] = w.receivers.sms.received;
  const parts = smsLength(sms?.body ?? '').parts;
  expect(parts).toBeGreaterThan(1);
  const d = (await ledgerOf(w, 'test-picks')).get('long');
  expect(d).toMatchObject({ state: 'sent', smsParts: parts, messageCostFen: parts * SMS_FEN });
  const budget = await budgetsCollection(w.db).findOne({ _id: 'test-picks' });
  expect(budget?.spentFen).toBe(PACKET_FEN + parts * SMS_FEN);
});
