import { parsePhone, PHONE_FORMAT } from '../../src/domain/phone.js';
import { ProfileRecord } from '../../src/domain/profile.js';
import { maskContact } from '../../src/domain/mask.js';

test.each([
  ['13800138000', '+8613800138000'],
  ['138 0013 8000', '+8613800138000'],
  ['+86 138-0013-8000', '+8613800138000'],
  ['008613800138000', '+8613800138000'],
  ['+8613800138000', '+8613800138000'],
  ['(+86) 199.0000.1234', '+8619900001234'],
  ['+44 20 7946 0958', '+442079460958'],
  ['001 415 555 2671', '+14155552671'],
])('%s is stored as %s', (written, e164) => {
  expect(parsePhone(written)).toEqual({ ok: true, e164 });
});

test.each([
  ['12800138000', 'a mainland mobile starts with 13 to 19, but it starts with 12'],
  ['1380013800', 'a mainland mobile has 11 digits, but it has 10'],
  ['+86 138 0013 80001', 'a mainland mobile has 11 digits, but after the country code 86 it has 12'],
  ['0086 10 1234 5678', 'a mainland mobile has 11 digits, but after the country code 86 it has 10'],
  ['+86 108 0013 8000', 'a mainland mobile starts with 13 to 19, but after the country code 86 it starts with 10'],
  ['+0 123 4567', 'an international number has 7 to 15 digits after the "+" and does not start with 0; this has 8'],
  ['+1 234', 'an international number has 7 to 15 digits after the "+" and does not start with 0; this has 4'],
  ['138-0013-800O', 'has characters other than digits, a leading "+", spaces, dashes, dots and brackets'],
  ['13800+138000', 'has characters other than digits, a leading "+", spaces, dashes, dots and brackets'],
  [' - ', 'is empty'],
])('%s is refused: %s', (written, problem) => {
  expect(parsePhone(written)).toEqual({ ok: false, problem });
});

test('a profile record stores the E.164 form and refuses a bad number at its path, saying what was wrong', () => {
  expect(ProfileRecord.parse({ userId: 'u1', phone: '138 0013 8000' }).phone).toBe('+8613800138000');
  const bad = ProfileRecord.safeParse({ userId: 'u1', phone: '12800138000' });
  expect(bad.success).toBe(false);
  expect(bad.error?.issues.map((i) => [i.path, i.message])).toEqual([
    [['phone'], `a mainland mobile starts with 13 to 19, but it starts with 12; expected ${PHONE_FORMAT}`],
  ]);
  const letters = ProfileRecord.safeParse({ userId: 'u1', phone: 'tel 138' });
  expect(letters.error?.issues.map((i) => [i.path, i.message])).toEqual([
    [
      ['phone'],
      `has characters other than digits, a leading "+", spaces, dashes, dots and brackets; expected ${PHONE_FORMAT}`,
    ],
  ]);
});

test('the hints and problems survive the masking of error output', () => {
  for (const written of ['12800138000', '1380013800', '+1 234', 'x']) {
    const parsed = parsePhone(written);
    if (parsed.ok) throw new Error(written);
    expect(maskContact(parsed.problem)).toBe(parsed.problem);
  }
  expect(maskContact(PHONE_FORMAT)).toBe(PHONE_FORMAT);
});
