import { basename } from 'node:path';
import type { z } from 'zod';
import type { Scoring } from '../domain/intent-scoring.js';
import { jsonPath, type Issue } from '../errors.js';
import { checkConditions } from './check-conditions.js';
import { didYouMean } from './closest-name.js';
import { childPath, isLeaf, SegmentFile, type Condition, type Segment } from './condition.js';
import { parseJsonText } from './json-text.js';

/** One segment file's text. */
export interface SegmentSource {
  file: string;
  text: string;
}

interface Candidate {
  file: string;
  segment: Segment;
}

const ENVELOPE_KEYS = Object.keys(SegmentFile.shape);

function envelopeIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((i): Issue[] => {
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({
        path: jsonPath([...i.path, k]),
        message: `unknown key "${k}" (allowed: ${ENVELOPE_KEYS.join(', ')})`,
        hint: didYouMean(k, ENVELOPE_KEYS),
      }));
    }
    const missing = i.code === 'invalid_type' && i.message.endsWith('received undefined');
    return [{ path: jsonPath(i.path), message: missing ? `"${jsonPath(i.path)}" is required` : i.message }];
  });
}

/** Parses the text and envelope of one file; conditions are checked later, knowing every id. */
function parseCandidate({ file, text }: SegmentSource): Candidate | Issue[] {
  const json = parseJsonText(text);
  if (!json.ok) return [json.issue];
  const parsed = SegmentFile.safeParse(json.value);
  if (!parsed.success) return envelopeIssues(parsed.error);
  const { conditions, $schema: _schema, ...header } = parsed.data;
  if (conditions === undefined) return [{ path: 'conditions', message: '"conditions" is required' }];
  return { file, segment: { ...header, conditions: conditions as Condition } };
}

/** The `inSegment` references of a tree, with the JSON path of each. */
export function segmentRefs(c: Condition, at = 'conditions'): { id: string; at: string }[] {
  if (isLeaf(c)) {
    const id = c.params?.segment;
    return c.fact === 'inSegment' && typeof id === 'string'
      ? [{ id, at: childPath(childPath(at, 'params'), 'segment') }]
      : [];
  }
  if ('not' in c) return segmentRefs(c.not, childPath(at, 'not'));
  const [key, list] = 'all' in c ? (['all', c.all] as const) : (['any', c.any] as const);
  return list.flatMap((child, i) => segmentRefs(child, childPath(childPath(at, key), i)));
}

/** Issues for references that lead back to their own segment (among checked segments). */
function cycleIssues(candidates: ReadonlyMap<string, Candidate>): { id: string; issue: Issue }[] {
  const issues: { id: string; issue: Issue }[] = [];
  const reaches = (from: string, target: string, seen: Set<string>): boolean => {
    if (from === target) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    const c = candidates.get(from);
    return c ? segmentRefs(c.segment.conditions).some((r) => reaches(r.id, target, seen)) : false;
  };
  for (const [id, c] of candidates) {
    for (const ref of segmentRefs(c.segment.conditions)) {
      if (reaches(ref.id, id, new Set()))
        issues.push({
          id,
          issue: { file: c.file, path: ref.at, message: `segment "${id}" refers back to itself through "${ref.id}"` },
        });
    }
  }
  return issues;
}

export interface SegmentFilesCheck {
  segments: Map<string, Segment>;
  files: Map<string, string>;
  /** Segments that did not load, by id (the file's `id`, else its name without `.json`) → file. */
  failed: Map<string, string>;
  issues: Issue[];
}

/** The id a file that failed to parse meant to define: its `id` if it has one, else its name. */
function intendedId({ file, text }: SegmentSource): string {
  const json = parseJsonText(text);
  const id =
    json.ok && typeof json.value === 'object' && json.value !== null ? (json.value as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : basename(file, '.json');
}

/**
 * Checks segment files together: each file's JSON and envelope, duplicate ids, the conditions
 * (references resolve among all files, plus `known`), and reference cycles.
 */
export function checkSegmentFiles(
  sources: readonly SegmentSource[],
  scoring: Scoring,
  known: ReadonlySet<string> = new Set(),
): SegmentFilesCheck {
  const issues: Issue[] = [];
  const candidates = new Map<string, Candidate>();
  const failed = new Map<string, string>();
  for (const source of sources) {
    const c = parseCandidate(source);
    if (Array.isArray(c)) {
      issues.push(...c.map((i) => ({ ...i, file: source.file })));
      failed.set(intendedId(source), source.file);
      continue;
    }
    const first = candidates.get(c.segment.id);
    if (first) {
      issues.push({
        file: c.file,
        path: 'id',
        message: `duplicate segment id "${c.segment.id}": also defined in ${first.file}`,
      });
      continue;
    }
    candidates.set(c.segment.id, c);
  }
  for (const id of candidates.keys()) failed.delete(id);
  const segmentIds = new Set([...known, ...candidates.keys()]);
  const out: SegmentFilesCheck = { segments: new Map(), files: new Map(), failed, issues };
  for (const [id, c] of candidates) {
    const found = checkConditions(c.segment.conditions, 'conditions', {
      scoring,
      segmentIds,
      failedSegments: new Map(failed),
    });
    issues.push(...found.map((i) => ({ ...i, file: c.file })));
    if (found.length === 0) {
      out.segments.set(id, c.segment);
      out.files.set(id, c.file);
    } else failed.set(id, c.file);
  }
  for (const { id, issue } of cycleIssues(new Map([...candidates].filter(([id]) => out.segments.has(id))))) {
    issues.push(issue);
    out.segments.delete(id);
    out.files.delete(id);
    failed.set(id, candidates.get(id)?.file ?? '');
  }
  return out;
}
