import { isDatabaseUnreachable } from '../../src/errors.js';
import { watchOutages } from '../../src/cli/outage.js';
import { errorHandler } from '../../src/api/error-handler.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoNetworkError' });

test('driver errors that mean the database did not answer are told from others', () => {
  expect(isDatabaseUnreachable(refused)).toBe(true);
  expect(isDatabaseUnreachable(Object.assign(new Error('x'), { name: 'MongoServerSelectionError' }))).toBe(true);
  expect(isDatabaseUnreachable(new Error('read ECONNRESET'))).toBe(true);
  expect(isDatabaseUnreachable(new Error('job failed', { cause: refused }))).toBe(true);
  expect(isDatabaseUnreachable(Object.assign(new Error('E11000 duplicate key'), { name: 'MongoServerError' }))).toBe(
    false,
  );
  expect(isDatabaseUnreachable(new Error('template variable missing'))).toBe(false);
  expect(isDatabaseUnreachable('ECONNREFUSED')).toBe(false);
});

test('an outage is one line when it starts and one when the database answers again; other errors pass through', async () => {
  const lines: string[] = [];
  const others: unknown[] = [];
  let answers = false;
  let t = Date.parse('2026-11-20T02:00:00Z');
  const watch = watchOutages({
    ping: async () => {
      if (!answers) throw refused;
    },
    log: (l) => lines.push(l),
    report: (e) => others.push(e),
    now: () => new Date(t),
    firstDelayMs: 5,
    maxDelayMs: 20,
  });
  try {
    for (let i = 0; i < 500; i++) watch.report(refused);
    const other = new Error('render error');
    watch.report(other);
    expect(watch.down()).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^database unreachable \(connect ECONNREFUSED 127\.0\.0\.1:27017\)/);
    t += 42_000;
    answers = true;
    for (let i = 0; i < 50 && watch.down(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(watch.down()).toBe(false);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^database reachable again after 42 s \(unreachable since 2026-11-20T02:00:00\.000Z; 500 failed/,
    );
    expect(others).toEqual([other]);
    // A second outage is reported again.
    answers = false;
    watch.report(refused);
    expect(lines).toHaveLength(3);
  } finally {
    watch.stop();
  }
});

test('the API answers 503 with Retry-After while the database is unreachable, without a log line per request', () => {
  const logged: string[] = [];
  const handle = errorHandler((err) => logged.push(String(err)));
  const answer = (err: unknown): { status: number; headers: Record<string, string>; body: unknown } => {
    const out = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
    const res = {
      status(code: number) {
        out.status = code;
        return res;
      },
      set(name: string, value: string) {
        out.headers[name] = value;
        return res;
      },
      json(body: unknown) {
        out.body = body;
        return res;
      },
    };
    handle(err, {} as never, res as never, () => undefined);
    return out;
  };
  expect(answer(refused)).toEqual({
    status: 503,
    headers: { 'Retry-After': '5' },
    body: { error: 'the database is unavailable; retry later' },
  });
  expect(logged).toEqual([]);
  expect(answer(new Error('a bug')).status).toBe(500);
  expect(logged).toHaveLength(1);
});
