import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CampaignInput } from '../../src/domain/campaign.js';
import { DEFAULT_SCORING } from '../../src/domain/intent-scoring.js';
import { ValidationError } from '../../src/errors.js';
import { checkCampaignTemplate, templateSet } from '../../src/deliver/templates.js';
import { parseTemplateFile } from '../../src/domain/template.js';
import { assembleTemplates } from '../../src/domain/template-render.js';
import type { CampaignRefs } from '../../src/rules/campaign-check.js';
import { loadProducts, parseCampaign, readCampaignFiles } from '../../src/rules/campaign-loader.js';
import { aCatalog } from '../support/factories.js';

const SMS =
  '首投红包{{ incentive.amount }}元，满{{ incentive.minPurchase }}元可用。{{ product.name }}。{{ riskNotice }}';
const PUSH = '---\ntitle: 红包{{ incentive.amount }}元\n---\n{{ product.name }} {{ riskNotice }}';
const templates = templateSet(
  assembleTemplates([
    parseTemplateFile('templates/offer.sms.txt', SMS),
    parseTemplateFile('templates/offer.push.txt', PUSH),
  ]).templates,
);

const refs: CampaignRefs = {
  scoring: DEFAULT_SCORING,
  segmentIds: new Set(['new-with-intent', 'strong-intent']),
  products: aCatalog(),
  checkTemplates: (c) => checkCampaignTemplate(templates, c),
};

const valid: CampaignInput = {
  id: 'offer',
  name: 'Offer',
  segment: 'new-with-intent',
  schedule: { cron: '0 10 * * *', timezone: 'Asia/Shanghai' },
  channels: ['sms', 'push'],
  template: 'offer',
  product: {},
  incentive: { type: 'red-packet', amount: 20, minPurchase: 1000, expiryDays: 7 },
  status: 'active',
};

function issuesOf(
  over: Record<string, unknown>,
  file = 'rules/campaigns/offer.json',
): { path: string; message: string; hint?: string }[] {
  try {
    parseCampaign(JSON.stringify({ ...valid, ...over }), file, refs);
  } catch (err) {
    if (err instanceof ValidationError) {
      expect(err.file).toBe(file);
      return err.issues;
    }
    throw err;
  }
  return [];
}

const paths = (over: Record<string, unknown>): string[] => issuesOf(over).map((i) => i.path);

test('a valid file parses, with defaults filled in', () => {
  expect(parseCampaign(JSON.stringify(valid), 'x/offer.json', refs)).toMatchObject({ id: 'offer', priority: 0 });
});

describe('each problem is named by its JSON path', () => {
  test.each([
    ['unknown segment', { segment: 'new-with-intnet' }, 'segment'],
    [
      'unknown fact in conditions',
      { conditions: { all: [{ fact: 'intentScor', operator: 'greaterThan', value: 5 }] } },
      'conditions.all[0].fact',
    ],
    ['unknown product', { product: { id: 'bond-plsu' } }, 'product.id'],
    ['unknown template', { template: 'ofer' }, 'template'],
    ['a channel the template lacks', { channels: ['sms', 'email'] }, 'template'],
    ['a variable the campaign does not supply', { incentive: undefined }, 'line 1'],
    ['unknown channel', { channels: ['sms', 'wechat'] }, 'channels[1]'],
    ['bad cron', { schedule: { cron: '0 10 * * * *', timezone: 'Asia/Shanghai' } }, 'schedule.cron'],
    ['out-of-range cron', { schedule: { cron: '0 25 * * *', timezone: 'Asia/Shanghai' } }, 'schedule.cron'],
    ['bad timezone', { schedule: { cron: '0 10 * * *', timezone: 'Asia/Beijing' } }, 'schedule.timezone'],
    ['unknown incentive type', { incentive: { type: 'coupon', amount: 5 } }, 'incentive.type'],
    ['a loose duration', { schedule: undefined, trigger: { event: 'redeem', delay: '1.5d' } }, 'trigger.delay'],
    ['a typo of a built-in event', { schedule: undefined, trigger: { event: 'purchse' } }, 'trigger.event'],
    ['both schedule and trigger', { trigger: { event: 'redeem' } }, 'trigger'],
    ['an unknown key', { audience: 'all' }, ''],
  ])('%s → %s', (_, over, path) => {
    expect(paths(over)).toContain(path);
  });

  test('unknown names come with the closest known one', () => {
    expect(issuesOf({ segment: 'new-with-intnet' })[0]?.hint).toBe('did you mean "new-with-intent"?');
    expect(issuesOf({ product: { id: 'bond-plsu' } })[0]?.hint).toBe('did you mean "bond-plus"?');
  });

  test('a template variable problem names the template file and line', () => {
    expect(issuesOf({ incentive: undefined })[0]).toEqual({
      file: 'templates/offer.sms.txt',
      path: 'line 1',
      message:
        'unknown variable {{ incentive.amount }}, which campaign "offer" (a product, no incentive) does not supply',
    });
  });

  test('the file is named after the id', () => {
    expect(issuesOf({}, 'rules/campaigns/other.json').map((i) => i.path)).toEqual(['id']);
  });
});

describe('reading a rules folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tideflow-campaigns-'));
    await mkdir(join(dir, 'campaigns'));
    await writeFile(join(dir, 'campaigns', 'offer.json'), JSON.stringify(valid));
    await writeFile(join(dir, 'campaigns', 'broken.json'), '{ "id": ');
    await writeFile(join(dir, 'campaigns', 'notes.txt'), 'not a campaign');
    await writeFile(
      join(dir, 'products.json'),
      JSON.stringify({ products: [{ id: 'p', name: 'P', category: 'bond', riskLevel: 'R9' }] }),
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  test('valid campaigns load and each invalid file is one error naming it', async () => {
    const { campaigns, errors } = await readCampaignFiles(dir, refs);
    expect(campaigns.map((c) => c.id)).toEqual(['offer']);
    const broken = join(dir, 'campaigns', 'broken.json');
    expect(errors.map((e) => [e.file, e.message, e.issues[0]?.message])).toEqual([
      [
        broken,
        `${broken} is not valid JSON`,
        'invalid JSON: line 1, column 9: unexpected end of file, expected a value',
      ],
    ]);
  });

  test('a bad products file names each path', async () => {
    await expect(loadProducts(dir)).rejects.toMatchObject({
      file: join(dir, 'products.json'),
      issues: expect.arrayContaining([expect.objectContaining({ path: 'products[0].riskLevel' })]),
    });
  });

  test('no folder, no campaigns; no products file, an empty catalog', async () => {
    expect(await readCampaignFiles(join(dir, 'missing'), refs)).toEqual({ campaigns: [], errors: [] });
    expect((await loadProducts(join(dir, 'missing'))).products).toEqual([]);
  });
});
