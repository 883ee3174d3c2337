import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { Campaign } from '../domain/campaign.js';
import { ProductCatalog } from '../domain/product.js';
import { jsonPath, ValidationError } from '../errors.js';
import { checkCampaignRefs, type CampaignRefs } from './campaign-check.js';
import { parseJsonText } from './json-text.js';
import type { RuleCheckContext, RuleExtension } from './rule-set.js';

/** Parses JSON text against `schema`; a ValidationError names `file` and each JSON path (or the line and column of a syntax error). */
export function parseJsonFile<S extends z.ZodType>(schema: S, text: string, file: string): z.infer<S> {
  const json = parseJsonText(text);
  if (!json.ok) throw new ValidationError(`${file} is not valid JSON`, [json.issue], file);
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    throw new ValidationError(
      `${file} is invalid`,
      parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })),
      file,
    );
  }
  return parsed.data;
}

/** Loads `<rulesDir>/products.json`; a missing file is an empty catalog. */
export async function loadProducts(rulesDir: string): Promise<ProductCatalog> {
  const file = join(rulesDir, 'products.json');
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  return text === undefined ? ProductCatalog.parse({ products: [] }) : parseJsonFile(ProductCatalog, text, file);
}

/**
 * Parses one campaign file: the schema, the file name (`<id>.json`), then the references. Throws a
 * ValidationError naming the file and every JSON path at fault.
 */
export function parseCampaign(text: string, file: string, refs: CampaignRefs): Campaign {
  const campaign = parseJsonFile(Campaign, text, file);
  const issues = checkCampaignRefs(campaign, refs);
  if (basename(file) !== `${campaign.id}.json`)
    issues.unshift({ path: 'id', message: `the file of campaign "${campaign.id}" is named ${campaign.id}.json` });
  if (issues.length > 0) throw new ValidationError(`${file} is invalid`, issues, file);
  return campaign;
}

/** Every campaign file of a rules folder: the valid campaigns and one error per invalid file. */
export interface CampaignFiles {
  campaigns: Campaign[];
  errors: ValidationError[];
}

/** Reads `<rulesDir>/campaigns/*.json` in name order; a missing folder holds no campaigns. */
export async function readCampaignFiles(rulesDir: string, refs: CampaignRefs): Promise<CampaignFiles> {
  const dir = join(rulesDir, 'campaigns');
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const out: CampaignFiles = { campaigns: [], errors: [] };
  const withFile: CampaignRefs = { ...refs, productsFile: join(rulesDir, 'products.json') };
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, name);
    try {
      out.campaigns.push(parseCampaign(await readFile(file, 'utf8'), file, withFile));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      out.errors.push(err);
    }
  }
  return out;
}

/** The campaigns of a rules folder; the first invalid file throws its ValidationError. */
export async function loadCampaigns(rulesDir: string, refs: CampaignRefs): Promise<Campaign[]> {
  const { campaigns, errors } = await readCampaignFiles(rulesDir, refs);
  if (errors[0]) throw errors[0];
  return campaigns;
}

/**
 * The campaign part of `tideflow validate` (pass it to checkRuleDir): products.json, then every
 * campaigns/*.json against the folder's segments, the products and `checkTemplates` (see
 * CampaignRefs; without it templates are not checked). One error per invalid file.
 */
export function campaignRules(checkTemplates?: CampaignRefs['checkTemplates']): RuleExtension {
  return {
    name: 'campaigns',
    async check(ctx: RuleCheckContext) {
      const errors: ValidationError[] = [];
      const products = await loadProducts(ctx.dir).catch((err: unknown) => {
        if (!(err instanceof ValidationError)) throw err;
        errors.push(err);
        return ProductCatalog.parse({ products: [] });
      });
      const files = await readCampaignFiles(ctx.dir, {
        scoring: ctx.scoring,
        segmentIds: ctx.segmentIds,
        ...(ctx.failedSegments ? { failedSegments: ctx.failedSegments } : {}),
        products,
        ...(checkTemplates ? { checkTemplates } : {}),
      });
      return { checked: files.campaigns.length + files.errors.length, errors: [...errors, ...files.errors] };
    },
  };
}
