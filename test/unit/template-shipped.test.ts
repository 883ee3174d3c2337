import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHANNELS } from '../../src/domain/profile.js';
import { checkTemplateVariables } from '../../src/domain/template-render.js';
import {
  messageVariables,
  suppliedVariables,
  type MessageFacts,
  type VariableShape,
} from '../../src/domain/message-variables.js';
import { checkCampaignTemplate, readTemplates, renderMessage } from '../../src/deliver/templates.js';

const TEMPLATES = path.resolve('templates');
const NOTICE = '基金有风险，投资需谨慎';

/** What each shipped template is written for (the playbook campaigns). */
const SHAPES: Record<string, VariableShape[]> = {
  'first-purchase': [{ product: true, incentive: 'red-packet' }],
  'reengage-redeemed': [
    { product: true, incentive: 'red-packet' },
    { product: true, incentive: 'voucher' },
    { product: true, incentive: 'trial-funds' },
  ],
  'growth-register': [{ product: false, incentive: 'trial-funds' }],
  'growth-first-purchase': [{ product: false, incentive: 'trial-funds' }],
  'growth-reinvest': [{ product: false, incentive: 'trial-funds' }],
  'weekly-picks': [{ product: true }],
  'blanket-red-packet': [{ product: false, incentive: 'red-packet' }],
};

const facts: MessageFacts = {
  user: { id: 'u-1001', timezone: 'Asia/Shanghai' },
  links: {
    unsubscribe: 'https://tideflow.example/u/abc?sig=1&d=2',
    landing: 'https://tideflow.example/v1/l/land.s1',
    product: 'https://tideflow.example/v1/l/prod.s2',
  },
  riskNotice: NOTICE,
  product: {
    name: '稳健债券A',
    category: 'bond',
    riskLevel: 'R2',
    expectedYield: 0.041,
    termDays: 90,
    minAmount: 1000,
    riskNotice: NOTICE,
  },
  incentive: {
    type: 'red-packet',
    amount: 20,
    minPurchase: 1000,
    expiresAt: new Date('2026-11-27T15:59:00Z'),
    costFen: 2000,
  },
};

test('the shipped templates load, cover every channel, and use only what their campaigns supply', async () => {
  const { templates, problems } = await readTemplates(TEMPLATES);
  expect(problems).toEqual([]);
  expect(templates.ids()).toEqual(Object.keys(SHAPES).sort());
  for (const [id, shapes] of Object.entries(SHAPES)) {
    for (const channel of CHANNELS) {
      const t = templates.get(id, channel);
      expect(t?.fund).toBe(true);
      for (const shape of shapes) expect(checkTemplateVariables(t!, suppliedVariables(shape))).toEqual([]);
    }
  }
});

test('first purchase renders the product, the red packet and the risk notice', async () => {
  const { templates } = await readTemplates(TEMPLATES);
  const vars = messageVariables(facts);
  expect(renderMessage(templates, 'first-purchase', 'sms', vars).text).toBe(
    '为您精选债券类产品「稳健债券A」，参考年化4.10%，1000元起投。首投红包20元已到账，单笔满1000元可用，2026-11-27前有效。详情 https://tideflow.example/v1/l/prod.s2 基金有风险，投资需谨慎',
  );
  const email = renderMessage(templates, 'first-purchase', 'email', vars);
  expect(email.subject).toBe('首投专享：20元红包已到账，稳健债券A等您来');
  expect(email.text).toContain('期限：90天\n起投金额：1000元\n风险等级：R2（中低风险）');
  expect(email.text).toContain('一键退订：https://tideflow.example/u/abc?sig=1&d=2');
  expect(email.html).toContain('<a href="https://tideflow.example/u/abc?sig=1&amp;d=2">一键退订</a>');
  expect(email.text).toContain('查看产品详情：https://tideflow.example/v1/l/prod.s2');
  expect(email.html).toContain('<a href="https://tideflow.example/v1/l/prod.s2"');
  expect(email.html).toContain(NOTICE);
});

test('a campaign without a product links its own page; printing the product link there is an error', async () => {
  const { templates } = await readTemplates(TEMPLATES);
  const vars = messageVariables({ ...facts, product: undefined });
  expect(vars.links).toEqual({ unsubscribe: facts.links.unsubscribe, landing: facts.links.landing });
  expect(renderMessage(templates, 'blanket-red-packet', 'sms', vars).text).toContain(
    '详情 https://tideflow.example/v1/l/land.s1 ',
  );
  expect(() => renderMessage(templates, 'first-purchase', 'sms', vars)).toThrow('product');
  const noProduct = checkCampaignTemplate(templates, { template: 'weekly-picks', channels: ['email'] });
  expect(noProduct.map((p) => p.message)).toContain('unknown variable {{ links.product }}');
});

test('growth ladder texts name the trial funds, their days and rate', async () => {
  const { templates } = await readTemplates(TEMPLATES);
  const vars = messageVariables({
    ...facts,
    product: undefined,
    incentive: {
      type: 'trial-funds',
      principal: 5000,
      days: 7,
      annualRate: 0.08,
      expiresAt: new Date('2026-11-27T00:00:00+08:00'),
      costFen: 768,
    },
  });
  expect(renderMessage(templates, 'growth-register', 'sms', vars).text).toBe(
    '注册成功！5000元体验金已发放，2026-11-27前激活，7天收益（年化8.00%）归您。详情 https://tideflow.example/v1/l/land.s1 基金有风险，投资需谨慎',
  );
  expect(renderMessage(templates, 'growth-first-purchase', 'push', vars).subject).toBe('首投奖励：5000元体验金');
});

test('a broken file in the folder is reported with its name; the others still load', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tideflow-templates-'));
  try {
    await writeFile(path.join(dir, 'ok.sms.txt'), '{{ user.id }} {{ riskNotice }}');
    await writeFile(path.join(dir, 'bad.sms.txt'), '{{ user.id ');
    await writeFile(path.join(dir, 'README.md'), 'not a template');
    const { templates, problems } = await readTemplates(dir);
    expect(templates.ids()).toEqual(['ok']);
    expect(problems.map((p) => p.file)).toEqual([path.join(dir, 'bad.sms.txt')]);
    expect(() => renderMessage(templates, 'ok', 'email', {})).toThrow('no template ok.email.txt');
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('a campaign is checked against its templates: one per channel, only the variables it supplies', async () => {
  const { templates } = await readTemplates(TEMPLATES);
  expect(
    checkCampaignTemplate(templates, {
      template: 'first-purchase',
      channels: ['sms', 'email'],
      product: {},
      incentive: { type: 'red-packet' },
    }),
  ).toEqual([]);
  const noIncentive = checkCampaignTemplate(templates, { template: 'first-purchase', channels: ['sms'], product: {} });
  expect(noIncentive[0]).toMatchObject({
    file: path.join(TEMPLATES, 'first-purchase.sms.txt'),
    path: 'line 1',
    message: 'unknown variable {{ incentive.amount }}',
  });
  expect(checkCampaignTemplate(templates, { template: 'nope', channels: ['push'] })).toEqual([
    { path: 'template', message: 'no template nope.push.txt for channel push' },
  ]);
});
