import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError, type Issue } from '../errors.js';
import type { Grant } from '../domain/incentive.js';
import { suppliedVariables } from '../domain/message-variables.js';
import type { Channel } from '../domain/profile.js';
import { parseTemplateFile, templateFileName, type Template, type TemplateFile } from '../domain/template.js';
import {
  assembleTemplates,
  checkTemplateVariables,
  renderTemplate,
  type RenderedMessage,
  type TemplateVariables,
} from '../domain/template-render.js';

/** The templates of a folder, by id and channel. */
export interface TemplateSet {
  get(id: string, channel: Channel): Template | undefined;
  /** Ids that have at least one channel. */
  ids(): string[];
  all(): Template[];
}

/**
 * Reads every `<id>.<channel>.<txt|html>` file of `dir` (other files are ignored). Bad files are
 * returned as problems, one ValidationError per file, for `tideflow validate` to list; the good
 * templates are usable regardless.
 */
export async function readTemplates(dir: string): Promise<{ templates: TemplateSet; problems: ValidationError[] }> {
  const names = (await readdir(dir)).filter((n) => templateFileName(n) !== undefined).sort();
  const files: TemplateFile[] = [];
  const problems: ValidationError[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      files.push(parseTemplateFile(file, await readFile(file, 'utf8')));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      problems.push(err);
    }
  }
  const assembled = assembleTemplates(files);
  return { templates: templateSet(assembled.templates), problems: [...problems, ...assembled.problems] };
}

/** Like readTemplates, but the first problem is thrown: for processes that must not start with broken templates. */
export async function loadTemplates(dir: string): Promise<TemplateSet> {
  const { templates, problems } = await readTemplates(dir);
  if (problems[0]) throw problems[0];
  return templates;
}

export function templateSet(templates: readonly Template[]): TemplateSet {
  const byKey = new Map(templates.map((t) => [`${t.id}.${t.channel}`, t]));
  return {
    get: (id, channel) => byKey.get(`${id}.${channel}`),
    ids: () => [...new Set(templates.map((t) => t.id))].sort(),
    all: () => [...templates],
  };
}

/** Renders template `id` for `channel`; a missing template or variable is a ValidationError. */
export function renderMessage(
  set: TemplateSet,
  id: string,
  channel: Channel,
  vars: TemplateVariables,
): RenderedMessage {
  const t = set.get(id, channel);
  if (!t)
    throw new ValidationError(`no template ${id}.${channel}.txt`, [
      { path: 'template', message: `no template ${id}.${channel}.txt` },
    ]);
  return renderTemplate(t, vars);
}

/** What of a campaign decides its messages' variables (a subset of the campaign file). */
export interface TemplateUse {
  template: string;
  channels: readonly Channel[];
  /** Present when the campaign recommends a product. */
  product?: unknown;
  incentive?: { type: Grant['type'] } | undefined;
}

/**
 * Static check for `tideflow validate`: the campaign's template exists for each of its channels and
 * uses only variables the campaign supplies. Issues name the template file and line; the
 * channel-level ones point at the campaign's `template` field.
 */
export function checkCampaignTemplate(set: TemplateSet, use: TemplateUse): Issue[] {
  const supplied = suppliedVariables({ product: use.product !== undefined, incentive: use.incentive?.type });
  return use.channels.flatMap((channel) => {
    const t = set.get(use.template, channel);
    if (!t) return [{ path: 'template', message: `no template ${use.template}.${channel}.txt for channel ${channel}` }];
    return checkTemplateVariables(t, supplied);
  });
}
