import { ValidationError, type Issue } from '../errors.js';
import type { Part, Template, TemplateFile } from './template.js';

/** The variable every fund marketing text must print. */
export const RISK_NOTICE_VARIABLE = 'riskNotice';

/** Values a template can print; nested objects are reached with dotted names. */
export interface TemplateVariables {
  [name: string]: string | number | TemplateVariables;
}

export interface RenderedMessage {
  /** Email subject or push title. */
  subject?: string;
  text: string;
  html?: string;
}

/** A variable a template uses, where it first appears. */
export interface VariableUse {
  name: string;
  file: string;
  line: number;
}

/**
 * Puts parsed files together: one template per (id, channel) with its .txt file, an optional
 * .html file for email, the subject (email) or title (push) required. Problems come back as one
 * ValidationError per file; the templates without problems are returned.
 */
export function assembleTemplates(files: readonly TemplateFile[]): {
  templates: Template[];
  problems: ValidationError[];
} {
  const byKey = new Map<string, { txt?: TemplateFile; html?: TemplateFile }>();
  for (const f of files) {
    const key = `${f.id}.${f.channel}`;
    byKey.set(key, { ...byKey.get(key), [f.ext]: f });
  }
  const templates: Template[] = [];
  const problems: ValidationError[] = [];
  for (const { txt, html } of byKey.values()) {
    const anyFile = (txt ?? html) as TemplateFile;
    const issues = txt
      ? fileIssues(txt, html)
      : [
          {
            path: '(file)',
            message: `${anyFile.id}.${anyFile.channel}.txt is missing: every template has a text body`,
          },
        ];
    if (issues.length > 0) {
      problems.push(new ValidationError(`${anyFile.file}: invalid template`, issues, anyFile.file));
      continue;
    }
    templates.push(toTemplate(txt as TemplateFile, html));
  }
  return { templates, problems };
}

function fileIssues(txt: TemplateFile, html: TemplateFile | undefined): Issue[] {
  const issues: Issue[] = [];
  const need = txt.channel === 'email' ? 'subject' : txt.channel === 'push' ? 'title' : undefined;
  for (const key of ['subject', 'title'] as const) {
    if (txt.front[key] !== undefined && key !== need)
      issues.push({ path: 'front matter', message: `"${key}" is not used by ${txt.channel} templates` });
  }
  if (need && txt.front[need] === undefined)
    issues.push({ path: 'front matter', message: `${txt.channel} templates need "${need}:" in their front matter` });
  if (html && txt.channel !== 'email')
    issues.push({ file: html.file, path: '(file)', message: 'only email templates have an HTML part' });
  if (html && Object.keys(html.front).length > 0)
    issues.push({ file: html.file, path: 'front matter', message: 'put front matter in the .txt file' });
  if (txt.front.fund !== false) {
    for (const part of [txt.body, html?.body]) {
      if (part && !part.slots.some((s) => s.kind === 'var' && s.name === RISK_NOTICE_VARIABLE)) {
        issues.push({
          file: part.file,
          path: '(body)',
          message: `fund marketing must print {{ ${RISK_NOTICE_VARIABLE} }} (or say "fund: false" in the front matter)`,
        });
      }
    }
  }
  return issues;
}

function toTemplate(txt: TemplateFile, html: TemplateFile | undefined): Template {
  const t: Template = { id: txt.id, channel: txt.channel, text: txt.body, fund: txt.front.fund !== false };
  if (txt.subject) t.subject = txt.subject;
  if (html) t.html = html.body;
  if (txt.front.description !== undefined) t.description = txt.front.description;
  return t;
}

function parts(t: Template): Part[] {
  return [t.subject, t.text, t.html].filter((p): p is Part => p !== undefined);
}

/** The variables a template uses, each once, at its first appearance: what `validate` checks statically. */
export function templateVariables(t: Template): VariableUse[] {
  const seen = new Map<string, VariableUse>();
  for (const part of parts(t)) {
    for (const s of part.slots)
      if (s.kind === 'var' && !seen.has(s.name)) seen.set(s.name, { name: s.name, file: part.file, line: s.line });
  }
  return [...seen.values()];
}

/** Issues (file and line) for variables the template uses that `supplied` does not contain. */
export function checkTemplateVariables(t: Template, supplied: ReadonlySet<string>): Issue[] {
  return templateVariables(t)
    .filter((v) => !supplied.has(v.name))
    .map((v) => ({
      file: v.file,
      path: `line ${v.line}`,
      message: `unknown variable {{ ${v.name} }}`,
      ...hint(v.name, supplied),
    }));
}

/**
 * Renders strictly: every variable must resolve to a string or a number, or the whole render fails
 * with a ValidationError naming each missing variable with its file and line. Variables are
 * HTML-escaped in HTML parts and printed as they are elsewhere.
 */
export function renderTemplate(t: Template, vars: TemplateVariables): RenderedMessage {
  const issues: Issue[] = [];
  const fill = (part: Part): string =>
    part.slots.map((s) => (s.kind === 'text' ? s.text : value(part, s.name, s.line, vars, issues))).join('');
  const out: RenderedMessage = { text: fill(t.text) };
  if (t.subject) out.subject = fill(t.subject).replace(/\s+/g, ' ').trim();
  if (t.html) out.html = fill(t.html);
  if (issues.length > 0) {
    const files = new Set(issues.map((i) => i.file));
    const summary = issues.map((i) => `${i.file}:${i.path.replace('line ', '')}: ${i.message}`).join('; ');
    throw new ValidationError(
      `template ${t.id} (${t.channel}): ${summary}`,
      issues,
      files.size === 1 ? [...files][0] : undefined,
    );
  }
  return out;
}

function value(part: Part, name: string, line: number, vars: TemplateVariables, issues: Issue[]): string {
  const v = lookup(vars, name);
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
    return part.html ? escapeHtml(String(v)) : String(v);
  const why = v === undefined ? 'missing variable' : 'not printable (an object or not a finite number)';
  issues.push({
    file: part.file,
    path: `line ${line}`,
    message: `${why} {{ ${name} }}`,
    ...hint(name, new Set(variableNames(vars))),
  });
  return '';
}

function lookup(vars: TemplateVariables, name: string): unknown {
  let cur: unknown = vars;
  for (const key of name.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Dotted names of every printable value in `vars`. */
export function variableNames(vars: TemplateVariables, prefix = ''): string[] {
  return Object.entries(vars).flatMap(([k, v]) =>
    typeof v === 'object' ? variableNames(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** Suggests the supplied names that share the variable's first segment. */
function hint(name: string, supplied: ReadonlySet<string>): { hint?: string } {
  const head = `${name.split('.')[0]}.`;
  const near = [...supplied].filter((s) => s.startsWith(head)).sort();
  return near.length > 0 ? { hint: `available: ${near.join(', ')}` } : {};
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}
