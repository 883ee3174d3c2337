import { capSlots } from '../../src/domain/caps.js';

test("a send counts in its day and ISO week on the user's clock; uncapped periods take no slot", () => {
  // 00:30 Monday in Shanghai is still Sunday in UTC.
  const at = new Date('2026-11-22T16:30:00Z');
  expect(capSlots('sms', at, 'Asia/Shanghai', { total: 2, sms: 1 }, { total: 6 })).toEqual([
    { period: 'd:2026-11-23', total: 2, channel: 1 },
    { period: 'w:2026-11-23', total: 6 },
  ]);
  expect(capSlots('push', at, 'UTC', { sms: 1 }, {})).toEqual([]);
});
