import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SCORING, type Scoring } from '../domain/intent-scoring.js';
import { ValidationError, type Issue } from '../errors.js';
import type { CheckContext } from './fact-params.js';
import { parseJsonText } from './json-text.js';
import { parseScoring } from './scoring-loader.js';
import { checkSegmentFiles, type SegmentSource } from './segment-files.js';
import type { Segment } from './condition.js';

/** A rules folder, loaded and checked: scoring and segments. */
export interface RuleSet {
  dir: string;
  scoring: Scoring;
  /** Segments by id, in file name order. */
  segments: ReadonlyMap<string, Segment>;
  /** The file of each segment. */
  files: ReadonlyMap<string, string>;
}

/** What an extension (e.g. campaigns) is given to check its own files against. */
export interface RuleCheckContext extends CheckContext {
  dir: string;
  segments: ReadonlyMap<string, Segment>;
}

/**
 * More rule files checked by `tideflow validate` (campaigns register here): each returns one
 * ValidationError per invalid file, naming the file.
 */
export interface RuleExtension {
  /** What the files are, e.g. `campaigns`. */
  name: string;
  check(ctx: RuleCheckContext): Promise<{ checked: number; errors: ValidationError[] }>;
}

export interface RuleCheck {
  ruleSet: RuleSet;
  /** Every problem, each naming its file; empty when the folder is valid. */
  issues: Issue[];
  /** Files checked per kind, e.g. `{ scoring: 1, segments: 12, campaigns: 3 }`. */
  checked: Record<string, number>;
}

async function readIfExists(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
}

/** scoring.json: JSON syntax with line and column, then the schema (a missing file is the defaults). */
async function checkScoring(dir: string): Promise<{ scoring: Scoring; issues: Issue[]; present: boolean }> {
  const file = join(dir, 'scoring.json');
  const text = await readIfExists(file);
  if (text === undefined) return { scoring: DEFAULT_SCORING, issues: [], present: false };
  const json = parseJsonText(text);
  if (!json.ok) return { scoring: DEFAULT_SCORING, issues: [{ ...json.issue, file }], present: true };
  try {
    return { scoring: parseScoring(text, file), issues: [], present: true };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { scoring: DEFAULT_SCORING, issues: err.issues.map((i) => ({ ...i, file })), present: true };
  }
}

/** Reads `<dir>/segments/*.json` in name order; a missing folder holds none. */
export async function readSegmentSources(dir: string): Promise<SegmentSource[]> {
  const folder = join(dir, 'segments');
  const names = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const files = names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => join(folder, n));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
}

/** Checks a whole rules folder and reports every problem instead of stopping at the first. */
export async function checkRuleDir(dir: string, extensions: readonly RuleExtension[] = []): Promise<RuleCheck> {
  const scoring = await checkScoring(dir);
  const sources = await readSegmentSources(dir);
  const segments = checkSegmentFiles(sources, scoring.scoring);
  const ruleSet: RuleSet = { dir, scoring: scoring.scoring, segments: segments.segments, files: segments.files };
  const issues = [...scoring.issues, ...segments.issues];
  const checked: Record<string, number> = { scoring: scoring.present ? 1 : 0, segments: sources.length };
  const ctx: RuleCheckContext = {
    dir,
    scoring: scoring.scoring,
    segments: segments.segments,
    segmentIds: new Set(segments.segments.keys()),
    failedSegments: segments.failed,
  };
  for (const ext of extensions) {
    const { checked: n, errors } = await ext.check(ctx);
    checked[ext.name] = n;
    for (const e of errors)
      issues.push(
        ...(e.issues.length ? e.issues : [{ path: '', message: e.message }]).map((i) => ({
          ...i,
          file: i.file ?? e.file,
        })),
      );
  }
  return { ruleSet, issues, checked };
}

/** Loads a rules folder for use; any problem is a ValidationError listing them all. */
export async function loadRuleSet(dir: string): Promise<RuleSet> {
  const { ruleSet, issues } = await checkRuleDir(dir);
  if (issues.length > 0) throw new ValidationError(`the rules in ${dir} are invalid`, issues);
  return ruleSet;
}
