import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SCORING, Scoring } from '../domain/intent-scoring.js';
import { ValidationError, jsonPath } from '../errors.js';

/**
 * Loads `<rulesDir>/scoring.json` (intent weights, windows, retention). A missing file means the
 * defaults (DEFAULT_SCORING); a file that is not valid JSON or breaks the schema is a
 * ValidationError naming the file and each JSON path.
 */
export async function loadScoring(rulesDir: string): Promise<Scoring> {
  const file = join(rulesDir, 'scoring.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SCORING;
    throw err;
  }
  return parseScoring(text, file);
}

/** Parses the text of a scoring file; `file` names it in errors. */
export function parseScoring(text: string, file: string): Scoring {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`${file} is not valid JSON`, [{ path: '', message: (err as Error).message }], file);
  }
  const parsed = Scoring.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }));
    throw new ValidationError(`${file} is invalid`, issues, file);
  }
  return parsed.data;
}
