import { superseded, supersedes } from '../../src/domain/consent-order.js';
import { subscribedTopics } from '../../src/domain/profile.js';

const T = new Date('2026-11-20T02:00:00Z');
const before = new Date(T.getTime() - 1);
const after = new Date(T.getTime() + 1);
const grant = (at: Date) => ({ granted: true, at });
const withdraw = (at: Date) => ({ granted: false, at });

test.each([
  ['anything over nothing stored', grant(before), undefined, true],
  ['a later grant over a withdrawal', grant(after), withdraw(T), true],
  ['a later withdrawal over a grant', withdraw(after), grant(T), true],
  ['an older grant over a withdrawal', grant(before), withdraw(T), false],
  ['an older withdrawal over a grant', withdraw(before), grant(T), false],
  ['a withdrawal over a grant at the same instant', withdraw(T), grant(T), true],
  ['a grant over a withdrawal at the same instant', grant(T), withdraw(T), false],
  ['a grant over a grant at the same instant (the stored evidence stays)', grant(T), grant(T), false],
  ['a withdrawal over a withdrawal at the same instant', withdraw(T), withdraw(T), false],
])('%s', (_what, incoming, stored, replaces) => {
  expect(supersedes(incoming, stored)).toBe(replaces);
});

test('the form the stores filter on: earlier than the change, and for a withdrawal a grant at its instant', () => {
  expect(superseded(grant(T))).toEqual({ before: T });
  expect(superseded(withdraw(T))).toEqual({ before: T, grantAt: T });
});

test.each([
  ['no opt-outs: the list as given', {}, ['a', 'b']],
  ['left after the list was chosen', { topicsAt: T, topicOptOuts: { a: { at: after, source: 'push-topic' } } }, ['b']],
  [
    'left at the instant the list was chosen',
    { topicsAt: T, topicOptOuts: { a: { at: T, source: 'push-topic' } } },
    ['b'],
  ],
  ['chosen again after leaving', { topicsAt: after, topicOptOuts: { a: { at: T, source: 'push-topic' } } }, ['a', 'b']],
  [
    'a list without a stamp never outranks leaving',
    { topicOptOuts: { a: { at: before, source: 'push-topic' } } },
    ['b'],
  ],
])('subscribed topics: %s', (_what, fields, expected) => {
  expect(subscribedTopics({ topics: ['a', 'b'], ...fields })).toEqual(expected);
});
