import { ValidationError, formatIssues } from '../../src/errors.js';
import { parseTemplateFile } from '../../src/domain/template.js';
import {
  assembleTemplates,
  checkTemplateVariables,
  renderTemplate,
  templateVariables,
} from '../../src/domain/template-render.js';
import type { Template } from '../../src/domain/template.js';

function template(files: Record<string, string>): Template {
  const { templates, problems } = assembleTemplates(Object.entries(files).map(([f, src]) => parseTemplateFile(f, src)));
  if (problems[0]) throw problems[0];
  return templates[0] as Template;
}

function caught(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

const sms = (body: string): Template => template({ 'templates/t.sms.txt': body });

describe('strict rendering', () => {
  test('fills variables from nested values', () => {
    const t = sms('{{ product.name }}，年化{{product.expectedYield}}，{{ incentive.amount }}元红包。{{ riskNotice }}');
    const out = renderTemplate(t, {
      product: { name: '稳健债券A', expectedYield: '4.10%' },
      incentive: { amount: 20 },
      riskNotice: '基金有风险，投资需谨慎',
    });
    expect(out.text).toBe('稳健债券A，年化4.10%，20元红包。基金有风险，投资需谨慎');
  });

  test('a missing variable fails with the file, the line and the variable', () => {
    const t = sms('您好\n为您推荐{{ product.name }}\n{{ product.nmae }}起投。{{ riskNotice }}');
    const err = caught(() => renderTemplate(t, { product: { name: 'A', minAmount: '1000' }, riskNotice: 'r' }));
    expect(err.file).toBe('templates/t.sms.txt');
    expect(err.issues).toEqual([
      {
        file: 'templates/t.sms.txt',
        path: 'line 3',
        message: 'missing variable {{ product.nmae }}',
        hint: 'available: product.minAmount, product.name',
      },
    ]);
    expect(formatIssues(err)).toBe(
      'templates/t.sms.txt: line 3: missing variable {{ product.nmae }} (available: product.minAmount, product.name)',
    );
    expect(err.message).toBe('template t (sms): templates/t.sms.txt:3: missing variable {{ product.nmae }}');
  });

  test('objects, empty namespaces and non-finite numbers are not printable', () => {
    const t = sms('{{ product }} {{ user.id }} {{ incentive.amount }} {{ riskNotice }}');
    const err = caught(() =>
      renderTemplate(t, { product: { name: 'A' }, user: {}, incentive: { amount: Number.NaN }, riskNotice: 'r' }),
    );
    expect(err.issues.map((i) => i.message)).toEqual([
      'not printable (an object or not a finite number) {{ product }}',
      'missing variable {{ user.id }}',
      'not printable (an object or not a finite number) {{ incentive.amount }}',
    ]);
  });

  test('no code runs: inherited properties are missing, expressions do not parse', () => {
    const t = sms('{{ constructor.name }}{{ riskNotice.length }}{{ __proto__ }}{{ riskNotice }}');
    const err = caught(() => renderTemplate(t, { riskNotice: 'r' }));
    expect(err.issues.map((i) => i.message)).toEqual([
      'missing variable {{ constructor.name }}',
      'missing variable {{ riskNotice.length }}',
      'missing variable {{ __proto__ }}',
    ]);
    const syntax = caught(() =>
      parseTemplateFile('t.sms.txt', '第一行\n{{ user.id + 1 }}{{ riskNotice }}\n{{ a }} }} {{ riskNotice }}'),
    );
    expect(syntax.issues.map((i) => i.path)).toEqual(['line 2', 'line 3']);
    expect(syntax.issues[0]?.message).toMatch(/not a variable/);
  });

  test('HTML parts escape variables, text parts print them as they are', () => {
    const t = template({
      'x.email.txt': '---\nsubject: 关于 {{ product.name }}\n---\n{{ product.name }} {{ riskNotice }}',
      'x.email.html': '<p>{{ product.name }}</p><a href="{{ links.unsubscribe }}">退订</a>{{ riskNotice }}',
    });
    const out = renderTemplate(t, {
      product: { name: '<b>"A&B"</b>' },
      links: { unsubscribe: 'https://t.example/u?a=1&b=2' },
      riskNotice: 'r',
    });
    expect(out.subject).toBe('关于 <b>"A&B"</b>');
    expect(out.text).toBe('<b>"A&B"</b> r');
    expect(out.html).toBe(
      '<p>&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;</p><a href="https://t.example/u?a=1&amp;b=2">退订</a>r',
    );
  });

  test('a missing variable in the subject names the front matter line', () => {
    const t = template({ 'y.push.txt': '---\ndescription: d\ntitle: {{ product.title }}\n---\n{{ riskNotice }}' });
    expect(caught(() => renderTemplate(t, { riskNotice: 'r', product: {} })).issues[0]).toMatchObject({
      file: 'y.push.txt',
      path: 'line 3',
    });
  });
});

describe('template files', () => {
  test('fund marketing must print the risk notice unless the front matter says fund: false', () => {
    const { problems } = assembleTemplates([parseTemplateFile('a.sms.txt', '买{{ product.name }}')]);
    expect(problems[0]?.file).toBe('a.sms.txt');
    expect(problems[0]?.issues[0]?.message).toMatch(/must print \{\{ riskNotice \}\}/);
    const html = assembleTemplates([
      parseTemplateFile('b.email.txt', '---\nsubject: s\n---\n{{ riskNotice }}'),
      parseTemplateFile('b.email.html', '<p>无提示</p>'),
    ]);
    expect(html.problems[0]?.issues[0]).toMatchObject({
      file: 'b.email.html',
      message: expect.stringMatching(/^fund marketing must print/),
    });
    expect(assembleTemplates([parseTemplateFile('c.sms.txt', '---\nfund: false\n---\n验证码通知')]).problems).toEqual(
      [],
    );
  });

  test('front matter is checked: required heading, known keys, closed block', () => {
    const problems = (files: [string, string][]): string[] =>
      assembleTemplates(files.map(([f, s]) => parseTemplateFile(f, s))).problems.flatMap((p) =>
        p.issues.map((i) => i.message),
      );
    expect(problems([['e.email.txt', '{{ riskNotice }}']])).toEqual([
      'email templates need "subject:" in their front matter',
    ]);
    expect(problems([['p.push.txt', '---\nsubject: s\n---\n{{ riskNotice }}']])).toEqual([
      '"subject" is not used by push templates',
      'push templates need "title:" in their front matter',
    ]);
    expect(problems([['h.email.html', '{{ riskNotice }}']])).toEqual([
      'h.email.txt is missing: every template has a text body',
    ]);
    const unknown = caught(() => parseTemplateFile('u.sms.txt', '---\nsubjct: s\n---\n{{ riskNotice }}'));
    expect(unknown.issues[0]?.message).toMatch(/front matter: .*subjct/);
    expect(caught(() => parseTemplateFile('o.sms.txt', '---\nfund: false\nbody')).issues[0]).toEqual({
      path: 'line 1',
      message: 'front matter is not closed by a --- line',
    });
    expect(caught(() => parseTemplateFile('bad_name.txt', 'x')).issues[0]?.message).toMatch(/expected <id>/);
  });

  test('templateVariables lists each variable once with where it first appears; the check names unknown ones', () => {
    const t = template({
      'v.push.txt':
        '---\ntitle: {{ incentive.amount }}元\n---\n{{ product.name }}\n{{ incentive.amount }}{{ riskNotice }}',
    });
    expect(templateVariables(t)).toEqual([
      { name: 'incentive.amount', file: 'v.push.txt', line: 2 },
      { name: 'product.name', file: 'v.push.txt', line: 4 },
      { name: 'riskNotice', file: 'v.push.txt', line: 5 },
    ]);
    expect(checkTemplateVariables(t, new Set(['riskNotice', 'product.name', 'product.term']))).toEqual([
      { file: 'v.push.txt', path: 'line 2', message: 'unknown variable {{ incentive.amount }}' },
    ]);
  });
});
