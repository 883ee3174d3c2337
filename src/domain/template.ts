import { z } from 'zod';
import { ValidationError, type Issue } from '../errors.js';
import { Channel } from './profile.js';

/**
 * Message templates: `templates/<template-id>.<channel>.<ext>`.
 * - `<id>.sms.txt`: the SMS body.
 * - `<id>.push.txt`: front matter `title:`, then the notification body.
 * - `<id>.email.txt`: front matter `subject:`, then the plain-text part; `<id>.email.html`, if
 *   present, is the HTML part (variables HTML-escaped there).
 * Front matter is a block of `key: value` lines between `---` lines at the top of a .txt file
 * (keys: subject, title, fund, description). Variables are `{{ path.to.value }}` and nothing else:
 * no expressions, no code. Every template is fund marketing unless it says `fund: false`, and fund
 * marketing must print `{{ riskNotice }}` in each body.
 */

/** A piece of a compiled body: literal text, or a variable with the line it stands on. */
export type Slot = { kind: 'text'; text: string } | { kind: 'var'; name: string; line: number };

/** One compiled body (or subject line) and the file it came from. */
export interface Part {
  file: string;
  /** Variables are HTML-escaped when rendered. */
  html: boolean;
  slots: Slot[];
}

/** One template for one channel, assembled from its file(s). */
export interface Template {
  id: string;
  channel: Channel;
  /** Email subject or push title. */
  subject?: Part;
  text: Part;
  /** Email HTML part. */
  html?: Part;
  fund: boolean;
  description?: string;
}

/** One parsed file, before the files of a template are put together. */
export interface TemplateFile {
  file: string;
  id: string;
  channel: Channel;
  ext: 'txt' | 'html';
  front: FrontMatter;
  body: Part;
  subject?: Part;
}

/** The name of a variable: dotted identifiers, e.g. `product.name`. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FILE_NAME = /^([a-z0-9][a-z0-9-]{0,63})\.(sms|email|push)\.(txt|html)$/;

const FrontMatter = z.strictObject({
  subject: z.string().min(1).max(200).optional(),
  title: z.string().min(1).max(100).optional(),
  fund: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  description: z.string().max(500).optional(),
});
type FrontMatter = z.infer<typeof FrontMatter>;

/** Splits `first-purchase.email.html` into its parts; undefined for names that are not templates. */
export function templateFileName(name: string): { id: string; channel: Channel; ext: 'txt' | 'html' } | undefined {
  const m = FILE_NAME.exec(name);
  if (!m) return undefined;
  return { id: m[1] as string, channel: Channel.parse(m[2]), ext: m[3] as 'txt' | 'html' };
}

/**
 * Parses one template file. `file` is the path shown in errors; its base name must follow
 * `<id>.<channel>.<ext>`. Throws a ValidationError naming the file and line of every problem.
 */
export function parseTemplateFile(file: string, source: string): TemplateFile {
  const base = file.split(/[\\/]/).pop() ?? file;
  const name = templateFileName(base);
  if (!name)
    throw new ValidationError(
      'not a template file name',
      [{ path: '(file name)', message: `expected <id>.<sms|email|push>.<txt|html>, got "${base}"` }],
      file,
    );
  const issues: Issue[] = [];
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { entries, bodyStart } = frontMatterLines(lines, issues);
  const parsed = FrontMatter.safeParse(Object.fromEntries(entries.map((e) => [e.key, e.value])));
  const front: FrontMatter = parsed.success ? parsed.data : {};
  if (!parsed.success)
    issues.push(
      ...parsed.error.issues.map((i) => ({
        path: frontLine(entries, i.path[0]),
        message: `front matter: ${i.message}`,
      })),
    );
  const html = name.ext === 'html';
  const body = compile(file, lines.slice(bodyStart).join('\n').replace(/\n+$/, ''), bodyStart + 1, html, issues);
  const heading = front.subject ?? front.title;
  const headingLine = entries.find((e) => e.key === 'subject' || e.key === 'title')?.line ?? 1;
  const out: TemplateFile = { file, ...name, front, body };
  if (heading !== undefined) out.subject = compile(file, heading, headingLine, false, issues);
  if (issues.length > 0) throw new ValidationError(`${file}: invalid template`, issues, file);
  return out;
}

interface Entry {
  key: string;
  value: string;
  line: number;
}

function frontMatterLines(lines: string[], issues: Issue[]): { entries: Entry[]; bodyStart: number } {
  if (lines[0]?.trim() !== '---') return { entries: [], bodyStart: 0 };
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) {
    issues.push({ path: 'line 1', message: 'front matter is not closed by a --- line' });
    return { entries: [], bodyStart: lines.length };
  }
  const entries: Entry[] = [];
  for (let i = 1; i < end; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const m = /^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$/.exec(raw);
    if (!m) issues.push({ path: `line ${i + 1}`, message: 'front matter lines are "key: value"' });
    else entries.push({ key: m[1] as string, value: unquote((m[2] as string).trim()), line: i + 1 });
  }
  return { entries, bodyStart: end + 1 };
}

function unquote(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

function frontLine(entries: Entry[], key: PropertyKey | undefined): string {
  const line = entries.find((e) => e.key === key)?.line;
  return line === undefined ? 'front matter' : `line ${line}`;
}

/** Compiles text with `{{ name }}` slots; `firstLine` is the file line of the text's first line. */
function compile(file: string, text: string, firstLine: number, html: boolean, issues: Issue[]): Part {
  const slots: Slot[] = [];
  text.split('\n').forEach((lineText, i) => {
    const line = firstLine + i;
    if (i > 0) slots.push({ kind: 'text', text: '\n' });
    let at = 0;
    for (const m of lineText.matchAll(/\{\{(.*?)\}\}/g)) {
      pushText(slots, lineText.slice(at, m.index), line, issues);
      const name = (m[1] as string).trim();
      if (VARIABLE_NAME.test(name)) slots.push({ kind: 'var', name, line });
      else
        issues.push({
          path: `line ${line}`,
          message: `"{{${m[1]}}}" is not a variable: write {{ name.path }} (no expressions)`,
        });
      at = m.index + m[0].length;
    }
    pushText(slots, lineText.slice(at), line, issues);
  });
  return { file, html, slots };
}

function pushText(slots: Slot[], text: string, line: number, issues: Issue[]): void {
  if (text.includes('{{') || text.includes('}}')) issues.push({ path: `line ${line}`, message: 'unbalanced {{ or }}' });
  if (text !== '') slots.push({ kind: 'text', text });
}
