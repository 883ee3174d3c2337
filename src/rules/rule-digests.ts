import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { FileDigest } from '../domain/audit-entry.js';

/**
 * The SHA-256 of every file under `dirs` (rule files, products, templates), named relative to the
 * folder each is in and sorted: what the audit log records a process loaded. A missing folder
 * contributes nothing.
 */
export async function fileDigests(dirs: Record<string, string>): Promise<FileDigest[]> {
  const out: FileDigest[] = [];
  for (const [label, dir] of Object.entries(dirs)) {
    for (const file of await filesUnder(dir)) {
      out.push({
        file: `${label}/${relative(dir, file)}`,
        sha256: createHash('sha256')
          .update(await readFile(file))
          .digest('hex'),
      });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return filesUnder(path);
      return e.isFile() ? [path] : [];
    }),
  );
  return nested.flat();
}
