import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssues, ValidationError } from '../errors.js';
import { segmentJsonSchemaText } from '../rules/json-schema.js';
import { checkRuleDir, type RuleExtension } from '../rules/rule-set.js';
import { rulesDoc } from '../rules/rules-doc.js';
import type { Command } from './command.js';

/** Rule files beyond scoring and segments that `tideflow validate` checks (campaigns register here). */
export const ruleExtensions: RuleExtension[] = [];

async function writeText(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check every rule file; exit 1 listing each problem (file: JSON path: message)',
  usage: 'validate [--rules DIR] [--write-schema] [--write-docs FILE]',
  async run(args, config, io) {
    const { values } = parseArgs({
      args, strict: true,
      options: { rules: { type: 'string' }, 'write-schema': { type: 'boolean' }, 'write-docs': { type: 'string' } },
    });
    const dir = values.rules ?? config.TIDEFLOW_RULES_DIR;
    const { ruleSet, issues, checked } = await checkRuleDir(dir, ruleExtensions);
    if (values['write-schema']) {
      const file = join(dir, 'schema', 'segment.schema.json');
      await writeText(file, segmentJsonSchemaText(ruleSet.scoring));
      io.err(`wrote ${file}`);
    }
    if (values['write-docs'] !== undefined) {
      await writeText(values['write-docs'], rulesDoc());
      io.err(`wrote ${values['write-docs']}`);
    }
    const summary = Object.entries(checked).map(([kind, n]) => `${n} ${kind}`).join(', ');
    if (issues.length > 0) {
      io.err(formatIssues(new ValidationError('invalid rules', issues)));
      io.err(`${issues.length} problem${issues.length === 1 ? '' : 's'} in ${dir} (checked ${summary})`);
      return 1;
    }
    io.out(`${dir}: valid (${summary})`);
    return 0;
  },
};
