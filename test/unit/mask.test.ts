import { logText, maskContact, maskKnown } from '../../src/domain/mask.js';
import { PHONE_FORMAT } from '../../src/domain/profile.js';

test.each([
  ['E.164 phone', 'send to +8613800138000 failed', 'send to +*********8000 failed'],
  ['national phone with dashes, end of sentence', 'number 138-0013-8000.', 'number *******8000.'],
  ['phone in a tel: URL', 'tel:+8613800138000', 'tel:+*********8000'],
  ['email', 'bounce from li.wei@example.com (550)', 'bounce from l***@example.com (550)'],
  ['email with digits in the local part', 'u13800138000@example.com', 'u***@example.com'],
  [
    'FCM push token',
    'push refused dXk3ab12:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx6ab12cd34ef56gh78ij90kl_mn',
    'push refused dXk3ab12:APA9***',
  ],
  ['APNs push token', 'token 740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad', 'token 740f***'],
  [
    'API key: the id stays',
    'key tfk_ab12cd34_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM rejected',
    'key tfk_ab12cd34_*** rejected',
  ],
  ['bearer header', 'Authorization: Bearer abc.def', 'Authorization: Bearer ***'],
])('masks a %s', (_what, text, masked) => {
  expect(maskContact(text)).toBe(masked);
});

test.each([
  'at 2026-11-20T10:00:00.000Z on 2026-11-20 port 27017',
  'connect ECONNREFUSED 127.0.0.1:27017',
  'at file:///work/main/dist/api/app.js:57:12',
  'delivery weekly-picks:2026-11-20T10:00:00.000Z:u1:sms',
  'ObjectId 6745a1b2c3d4e5f601234567, uuid 123e4567-e89b-12d3-a456-426614174000',
  'batch of 1000 events, 12345 bytes',
])('leaves ordinary log text alone: %s', (text) => {
  expect(maskContact(text)).toBe(text);
});

test('logText masks an error with its stack, and values that are not errors', () => {
  const text = logText(new Error('no consent for +8613800138000 / li@example.com'));
  expect(text).toMatch(/^Error: no consent for \+\*{9}8000 \/ l\*\*\*@example\.com\n\s+at /);
  expect(text).not.toContain('13800138000');
  expect(logText({ to: '+8613800138000' })).toBe('{"to":"+*********8000"}');
  expect(logText('plain li@example.com')).toBe('plain l***@example.com');
});

test.each([
  ['quoted local part', 'bounce from "jane.o\'r"@example.com', 'bounce from j***@example.com'],
  ['quoted local part with a space', '550 "jane doe"@example.com unknown', '550 j***@example.com unknown'],
  ['apostrophe in the local part', "rcpt jane.o'r@example.com refused", 'rcpt j***@example.com refused'],
  ['email in quotes inside JSON', '{"to":"li.wei@example.com"}', '{"to":"l***@example.com"}'],
  ['URL-encoded email', 'POST /send?email=li.wei%40example.com', 'POST /send?email=l***%40example.com'],
  [
    'URL-encoded phone',
    'POST /Messages.json To=%2B8613800138001&Body=hi',
    'POST /Messages.json To=%2B*********8001&Body=hi',
  ],
  ['phone after a form key', 'To=8613800138001&Body=hi', 'To=*********8001&Body=hi'],
  ['phone next to Chinese text', '号码13800138000发送失败', '号码*******8000发送失败'],
  [
    'phone and email in one provider error',
    "21211: The 'To' number +8613800138001 is not valid (li@example.com)",
    "21211: The 'To' number +*********8001 is not valid (l***@example.com)",
  ],
  [
    'a long push token in free text',
    'gateway: token 740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387 unregistered',
    'gateway: token 740f*** unregistered',
  ],
])('masks a %s', (_what, text, masked) => {
  expect(maskContact(text)).toBe(masked);
  // Masking twice changes nothing more.
  expect(maskContact(masked)).toBe(masked);
});

test('maskKnown masks the given contact points whatever their shape, as they are or URL-encoded', () => {
  expect(maskKnown('410 token push-token-pu is dead', ['push-token-pu'])).toBe('410 token push*** is dead');
  expect(maskKnown('To=%2B8613800138001 failed', ['+8613800138001'])).toBe('To=+*********8001 failed');
  expect(maskKnown('nothing to hide', ['+8613800138001'])).toBe('nothing to hide');
});

test("Tideflow's own hint on writing a phone number survives the masking of error output", () => {
  expect(PHONE_FORMAT).toContain('E.164');
  expect(maskContact(`phone: ${PHONE_FORMAT}`)).toBe(`phone: ${PHONE_FORMAT}`);
});
