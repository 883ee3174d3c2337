import { createLogger } from '../../src/logger.js';

function capture(pretty: boolean): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const log = createLogger(
    { LOG_LEVEL: 'info', LOG_JSON: !pretty },
    { destination: { write: (l) => lines.push(l) }, pretty },
  );
  return { lines, log };
}

test('a JSON line masks contact points in its message, fields, bindings and error, and keeps the stack', () => {
  const { lines, log } = capture(false);
  const err = new Error('send to +8613800138000 refused');
  log
    .child({ to: 'li.wei@example.com' })
    .error({ err, reply: { phone: '13800138000' } }, 'mail for li.wei@example.com');
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  expect(entry).toMatchObject({
    level: 'error',
    to: 'l***@example.com',
    msg: 'mail for l***@example.com',
    reply: { phone: '*******8000' },
    err: { type: 'Error', message: 'send to +*********8000 refused' },
  });
  expect((entry.err as { stack: string }).stack).toMatch(/^Error: send to \+\*{9}8000 refused\n\s+at /);
  expect(lines[0]).not.toMatch(/13800138000|li\.wei@/);
});

test('below LOG_LEVEL nothing is written', () => {
  const { lines, log } = capture(false);
  log.debug('detail');
  expect(lines).toEqual([]);
});

test('in a terminal, one text line per entry with its fields, masked, and the stack below', () => {
  const { lines, log } = capture(true);
  log.child({ campaignId: 'spring' }).info({ picked: 3, to: 'li.wei@example.com' }, 'outbox pass');
  log.error({ err: new Error('boom') }, 'job failed');
  expect(lines[0]).toMatch(
    /^\d{2}:\d{2}:\d{2}\.\d{3} INFO {2}outbox pass campaignId=spring picked=3 to=l\*\*\*@example\.com\n$/,
  );
  expect(lines[1]).toMatch(/ ERROR job failed\n {2}Error: boom\n\s+at /);
});
