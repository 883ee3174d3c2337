import { smsLength } from '../../src/domain/sms-length.js';

const a = (n: number): string => 'a'.repeat(n);

// Counts as carriers bill them (and as Twilio's segment calculator shows them).
test.each([
  ['empty', '', 'GSM-7', 0, 1],
  ['GSM-7, one part full', a(160), 'GSM-7', 160, 1],
  ['GSM-7, one over', a(161), 'GSM-7', 161, 2],
  ['GSM-7, two parts full', a(306), 'GSM-7', 306, 2],
  ['GSM-7, three parts', a(307), 'GSM-7', 307, 3],
  ['GSM-7 accents of the basic set', 'Café à Zürich, Øre ¿Ñ?', 'GSM-7', 22, 1],
  ['extension table counts 2', '€'.repeat(80), 'GSM-7', 160, 1],
  ['extension table, one over', '€'.repeat(81), 'GSM-7', 162, 2],
  ['brackets and braces', '{[~]}|^\\', 'GSM-7', 16, 1],
  ['an escape sequence is not split between parts', `${a(152)}€${a(152)}`, 'GSM-7', 306, 3],
  ['Chinese, one part full', '投'.repeat(70), 'UCS-2', 70, 1],
  ['Chinese, one over', '投'.repeat(71), 'UCS-2', 71, 2],
  ['Chinese, two parts full', '投'.repeat(134), 'UCS-2', 134, 2],
  ['Chinese, three parts', '投'.repeat(135), 'UCS-2', 135, 3],
  ['full-width punctuation is not GSM-7', '您好，', 'UCS-2', 3, 1],
  ['ç is not in GSM-7 (only Ç is)', 'ça', 'UCS-2', 2, 1],
  ['emoji are surrogate pairs: two units', '😀'.repeat(35), 'UCS-2', 70, 1],
  ['emoji, one over', '😀'.repeat(36), 'UCS-2', 72, 2],
  ['a surrogate pair is not split between parts', `${a(66)}😀${a(66)}`, 'UCS-2', 134, 3],
  ['mixed: one Chinese character makes all of it UCS-2', `${a(69)}元`, 'UCS-2', 70, 1],
  ['mixed: € in UCS-2 is one unit', `${a(70)}元€`, 'UCS-2', 72, 2],
  [
    'a shipped-style marketing SMS',
    '【潮汐基金】20元理财红包已放入您的账户，单笔购买满1000元可用。详情 https://t.cn/abc 基金有风险，投资需谨慎回T退订',
    'UCS-2',
    69,
    1,
  ],
])('%s', (_name, text, encoding, length, parts) => {
  expect(smsLength(text)).toEqual({ encoding, length, parts });
});
