import { parseDemoArgs } from '../../src/cli/demo.js';
import { ValidationError } from '../../src/errors.js';
import { NOW } from '../support/factories.js';

test('tideflow demo defaults to 10,000 users, seed 42, 90 days ending now', () => {
  expect(parseDemoArgs([], NOW)).toEqual({ users: 10_000, seed: 42, days: 90, reset: false, now: NOW });
});

test('tideflow demo takes users, seed, now, days and reset', () => {
  const opts = parseDemoArgs(
    ['--users', '300', '--seed', '7', '--now', '2026-01-31T23:00:00+08:00', '--days', '30', '--reset'],
    NOW,
  );
  expect(opts).toEqual({ users: 300, seed: 7, days: 30, reset: true, now: new Date('2026-01-31T15:00:00Z') });
});

test('bad values are rejected with the option named', () => {
  const issues = (args: string[]): string[] => {
    try {
      parseDemoArgs(args, NOW);
      return [];
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return err.issues.map((i) => i.path);
    }
  };
  expect(issues(['--users', '0'])).toEqual(['--users']);
  expect(issues(['--now', 'yesterday'])).toEqual(['--now']);
  expect(issues(['--days', '1.5', '--seed=-1'])).toEqual(['--seed', '--days']);
  expect(() => parseDemoArgs(['--colour'], NOW)).toThrow(/Unknown option/);
});
