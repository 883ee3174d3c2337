import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { modeSwitch } from '../../src/receivers/mode.js';
import { startPushGateway } from '../../src/receivers/push-gateway.js';
import { startSmsReceiver } from '../../src/receivers/sms-receiver.js';

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('a failure mode lasts for the given number of requests, or until changed', () => {
  const mode = modeSwitch<'throttle'>();
  mode.set('throttle', 2);
  expect([mode.take(), mode.take(), mode.take()]).toEqual(['throttle', 'throttle', 'accept']);
  mode.set('throttle');
  expect([mode.take(), mode.take()]).toEqual(['throttle', 'throttle']);
  expect(() => mode.set('throttle', 0)).toThrow(RangeError);
});

test('the SMS endpoint answers like Twilio: auth, path and required fields; it keeps a bounded history', async () => {
  const sms = await startSmsReceiver({ limit: 2 });
  try {
    const path = `${sms.url}/2010-04-01/Accounts/${sms.accountSid}/Messages.json`;
    const auth = { authorization: `Basic ${Buffer.from(`${sms.accountSid}:${sms.authToken}`).toString('base64')}` };
    expect(await post(path, 'To=%2B86138&Body=hi')).toMatchObject({ status: 401, json: { code: 20003 } });
    expect(await post(`${sms.url}/2010-04-01/Accounts/ACx/Messages.json`, 'To=1&Body=x', auth)).toMatchObject({
      status: 404,
    });
    expect(await post(path, 'To=%2B86138', auth)).toMatchObject({ status: 400, json: { code: 21602 } });
    for (const n of [1, 2, 3])
      expect((await post(path, `To=%2B86138&From=%2B1&Body=m${n}`, auth)).json).toMatchObject({
        status: 'queued',
        body: `m${n}`,
      });
    expect(sms.received.map((m) => m.body)).toEqual(['m2', 'm3']);
  } finally {
    await sms.close();
  }
});

test('with autoReport the SMS endpoint posts a delivered callback for each accepted message', async () => {
  const statuses: string[] = [];
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      statuses.push(new URLSearchParams(body).get('MessageStatus') ?? '');
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const sms = await startSmsReceiver({ autoReport: 'delivered' });
  try {
    const cb = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/status`;
    const auth = { authorization: `Basic ${Buffer.from(`${sms.accountSid}:${sms.authToken}`).toString('base64')}` };
    await post(
      `${sms.url}/2010-04-01/Accounts/${sms.accountSid}/Messages.json`,
      new URLSearchParams({ To: '+86138', From: '+1', Body: 'x', StatusCallback: cb }).toString(),
      auth,
    );
    for (let i = 0; i < 50 && sms.reports.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(statuses).toEqual(['delivered']);
    expect(sms.reports[0]).toMatchObject({ url: cb, status: 200 });
  } finally {
    await sms.close();
    await new Promise((r) => hook.close(r));
  }
});

test('the push gateway refuses malformed notifications and closes even with a request left hanging', async () => {
  const push = await startPushGateway();
  const auth = { authorization: `Bearer ${push.token}`, 'content-type': 'application/json' };
  expect(await post(push.url, '{"to":1}', auth)).toMatchObject({ status: 400, json: { code: 'BadRequest' } });
  push.setMode('hang');
  const hanging = fetch(push.url, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ to: 't', title: 'a', body: 'b' }),
  }).then(
    () => 'answered',
    () => 'connection closed',
  );
  await new Promise((r) => setTimeout(r, 50));
  await push.close();
  expect(await hanging).toBe('connection closed');
});
