import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssues, ValidationError } from '../errors.js';
import { segmentJsonSchemaText } from '../rules/json-schema.js';
import { checkCampaignTemplate, readTemplates } from '../deliver/templates.js';
import { checkSmsSignature } from '../deliver/sms-signature-check.js';
import { checkSmsParts } from '../deliver/sms-parts-check.js';
import { linkSigner, signedLinks } from '../track/signed-links.js';

/** The SMS check's links are signed as sent; their length does not depend on the secret. */
const SAMPLE_SECRET = 'sample-secret-of-the-sms-parts-check';

/** What the SMS checks of `validate` render with (the configuration's values when run from the CLI). */
export interface SmsSettings {
  smsSignature?: string | undefined;
  publicUrl?: string;
  appUrl?: string;
}
import { loadProducts, readCampaignFiles } from '../rules/campaign-loader.js';
import { checkRuleDir, type RuleExtension } from '../rules/rule-set.js';
import { rulesDoc } from '../rules/rules-doc.js';
import type { Command } from './command.js';

/**
 * What `tideflow validate` checks beyond scoring and segments: the message templates, and the
 * campaign files against the segments, rules/products.json and those templates, and that a
 * campaign sending SMS has a signature (its own `smsSignature` or the configured one) and renders
 * for sample users to at most `maxSmsParts` parts.
 */
export function ruleExtensions(templatesDir: string, sms: SmsSettings = {}): RuleExtension[] {
  let loaded: ReturnType<typeof readTemplates> | undefined;
  const templates = (): ReturnType<typeof readTemplates> => (loaded ??= readTemplates(templatesDir));
  return [
    {
      name: 'template files',
      async check() {
        const { templates: set, problems } = await templates();
        return { checked: set.all().length + problems.length, errors: problems };
      },
    },
    {
      name: 'campaigns',
      async check(ctx) {
        const products = await loadProducts(ctx.dir).catch((err: unknown) => {
          if (err instanceof ValidationError) return err;
          throw err;
        });
        if (products instanceof ValidationError) return { checked: 0, errors: [products] };
        const { templates: set } = await templates();
        const { campaigns, errors } = await readCampaignFiles(ctx.dir, {
          ...ctx,
          products,
          checkTemplates: (c) => [
            ...checkCampaignTemplate(set, c),
            ...checkSmsSignature(c, sms.smsSignature),
            ...checkSmsParts(c, {
              templates: set,
              products,
              links: signedLinks(sms.publicUrl ?? 'http://localhost:8080', linkSigner(SAMPLE_SECRET)),
              appUrl: sms.appUrl ?? 'https://www.example.com',
              smsSignature: sms.smsSignature,
            }),
          ],
        });
        return { checked: campaigns.length + errors.length, errors };
      },
    },
  ];
}

async function writeText(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check every rule file; exit 1 listing each problem (file: JSON path: message)',
  usage: 'validate [--rules DIR] [--write-schema] [--write-docs FILE]',
  database: false,
  async run(args, config, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { rules: { type: 'string' }, 'write-schema': { type: 'boolean' }, 'write-docs': { type: 'string' } },
    });
    const dir = values.rules ?? config.TIDEFLOW_RULES_DIR;
    const { ruleSet, issues, checked } = await checkRuleDir(
      dir,
      ruleExtensions(config.TIDEFLOW_TEMPLATES_DIR, {
        smsSignature: config.TIDEFLOW_SMS_SIGNATURE,
        publicUrl: config.TIDEFLOW_PUBLIC_URL,
        appUrl: config.TIDEFLOW_APP_URL,
      }),
    );
    if (values['write-schema']) {
      const file = join(dir, 'schema', 'segment.schema.json');
      await writeText(file, segmentJsonSchemaText(ruleSet.scoring));
      io.err(`wrote ${file}`);
    }
    if (values['write-docs'] !== undefined) {
      await writeText(values['write-docs'], rulesDoc());
      io.err(`wrote ${values['write-docs']}`);
    }
    const summary = Object.entries(checked)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    if (issues.length > 0) {
      io.err(formatIssues(new ValidationError('invalid rules', issues)));
      io.err(`${issues.length} problem${issues.length === 1 ? '' : 's'} in ${dir} (checked ${summary})`);
      return 1;
    }
    io.out(`${dir}: valid (${summary})`);
    return 0;
  },
};
