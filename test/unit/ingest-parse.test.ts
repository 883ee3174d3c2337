import { ValidationError } from '../../src/errors.js';
import { parseEvents } from '../../src/ingest/parse-events.js';
import { anEvent } from '../support/factories.js';
import { staleBuckets } from '../../src/domain/windowed-metrics.js';

function rejection(items: unknown[]): ValidationError {
  try {
    parseEvents(items);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('batch was accepted');
}

test('a batch with bad events is rejected whole, every problem located as [index].path', () => {
  const err = rejection([
    anEvent(),
    anEvent({ type: 'Bad Type' }),
    anEvent(),
    { ...anEvent({ category: 'crypto' as never }), ts: 'yesterday' },
    { ...anEvent(), props: { ok: 1, nested: { no: true } }, extra: 1 },
    'not an object',
  ]);
  expect(err.message).toBe('4 of 6 events are invalid; nothing was stored');
  expect(err.issues.map((i) => i.path).sort()).toEqual([
    '[1].type',
    '[3].category',
    '[3].ts',
    '[4]',
    '[4].props.nested',
    '[5]',
  ]);
  expect(err.issues.find((i) => i.path === '[4]')?.message).toMatch(/extra/);
});

test('a custom event type must be snake_case; ids must not contain $', () => {
  expect(parseEvents([anEvent({ type: 'wechat_follow' })])).toHaveLength(1);
  expect(rejection([anEvent({ userId: '$where' })]).issues.map((i) => i.path)).toEqual(['[0].userId']);
});

test('staleBuckets splits off the days before the oldest kept one', () => {
  const b = { '2026-08-01': {}, '2026-08-23': {}, '2026-09-01': {}, '2026-08-22': {} };
  expect(staleBuckets(b, '2026-08-23')).toEqual({ stale: ['2026-08-01', '2026-08-22'], oldest: '2026-08-23' });
  expect(staleBuckets(b, '2026-12-01')).toEqual({ stale: Object.keys(b) });
});
