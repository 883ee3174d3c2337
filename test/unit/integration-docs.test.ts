// docs/integration.md documents the profile record and the push gateway protocol with examples:
// the examples must be what the code accepts and sends.
import { readFileSync } from 'node:fs';
import { pushChannel } from '../../src/channels/push.js';
import { ProfileRecord, ProfileUpdate } from '../../src/domain/profile.js';
import { startPushGateway } from '../../src/receivers/push-gateway.js';

const doc = readFileSync('docs/integration.md', 'utf8');
const readme = readFileSync('README.md', 'utf8');

/** The fenced blocks of the doc, in order. */
const blocks = [...doc.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

test('the README links the document from the profile endpoints, the import command and the push settings', () => {
  expect(readme.match(/\(docs\/integration\.md[#)a-z-]*/g)?.length).toBeGreaterThanOrEqual(3);
  expect(readme).toContain('[docs/integration.md](docs/integration.md#the-push-gateway-protocol)');
  expect(doc).toContain('## The push gateway protocol');
});

test('the PUT example body is a valid profile update, and every field of the schema is in the table', () => {
  const curl = blocks.find((b) => b.includes('PUT localhost:8080/v1/profiles/u1')) ?? '';
  const body = /-d '([\s\S]*?)'/.exec(curl)?.[1] ?? '';
  const parsed = ProfileUpdate.parse(JSON.parse(body));
  expect(Object.keys(parsed).sort()).toEqual(Object.keys(ProfileUpdate.shape).sort());
  for (const field of ['userId', ...Object.keys(ProfileUpdate.shape)]) expect(doc).toContain(`| \`${field}\` |`);
});

test('every line of the import example is a valid profile record', () => {
  const ndjson = blocks.find((b) => b.startsWith('{"userId"')) ?? '';
  const lines = ndjson.trim().split('\n');
  expect(lines).toHaveLength(3);
  for (const line of lines) expect(() => ProfileRecord.parse(JSON.parse(line))).not.toThrow();
});

test('the documented push request is the one the channel sends: same headers, same JSON keys', async () => {
  const gateway = await startPushGateway();
  try {
    const deliveryId = 'first-purchase~2026-11-20T02:00:00.000Z~u1';
    const sent = await pushChannel({ url: gateway.url, token: gateway.token }).send({
      deliveryId,
      to: 'fcm:dQw4w9WgXcQ-42',
      subject: '首投红包20元',
      text: '稳健货币精选',
      unsubscribeUrl: 'http://localhost:8080/u/x',
      metadata: { campaignId: 'first-purchase', userId: 'u1', link: 'https://www.example.com/products/money-daily' },
    });
    expect(sent.kind).toBe('sent');
    const got = gateway.received[0];
    const request = blocks.find((b) => b.startsWith('POST /push')) ?? '';
    const documented = JSON.parse(request.slice(request.indexOf('{'))) as { data: object };
    expect(got?.idempotencyKey).toBe(deliveryId);
    expect(request).toContain(`Idempotency-Key: ${deliveryId}`);
    expect(Object.keys(documented).sort()).toEqual(['body', 'data', 'title', 'to']);
    expect(Object.keys(documented.data).sort()).toEqual(Object.keys(got?.data ?? {}).sort());
    const lookup = await fetch(`${gateway.url}/${encodeURIComponent(deliveryId)}`, {
      headers: { authorization: `Bearer ${gateway.token}` },
    });
    expect(doc).toContain(`/push/${encodeURIComponent(deliveryId)}`);
    expect([lookup.status, await lookup.json()]).toEqual([200, { id: got?.id }]);
  } finally {
    await gateway.close();
  }
});
