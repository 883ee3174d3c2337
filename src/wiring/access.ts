import { userInfo } from 'node:os';
import type { Config } from '../config/config.js';
import type { Tideflow } from '../main.js';
import type { AuditAction, FileDigest } from '../domain/audit-entry.js';
import { audit } from '../access/api-keys.js';
import { fileDigests } from '../rules/rule-digests.js';
import { createAccessPorts } from '../store/access-store.js';
import { openDatabase } from '../store/connection.js';
import type { AccessPorts } from '../ports/access-ports.js';
import { ensureIndexes } from '../store/models/index.js';

/**
 * Keys and the audit log alone, for `tideflow keys` and `tideflow audit`: only the database is
 * opened, so a key can be revoked even while the rule files do not load.
 */
export async function openAccess(config: Config): Promise<{ access: AccessPorts; close(): Promise<void> }> {
  const db = await openDatabase(config);
  try {
    await ensureIndexes(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return { access: createAccessPorts(db, () => new Date()), close: () => db.close() };
}

/** The audit actor of commands run on the server: `cli:<OS user>`. */
export function cliActor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the actor stays `cli:unknown`.
  }
  return `cli:${user}`;
}

/**
 * Records an action of a command run on the server, as `cli:<user>`, at the wall clock's time
 * (a command's `--now` moves what it sees, not when it ran).
 */
export function auditCli(
  tf: Pick<Tideflow, 'access'>,
  action: AuditAction,
  target?: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  return audit({ audit: tf.access.audit, clock: () => new Date() }, cliActor(), action, target, detail);
}

/**
 * Records in the audit log which rule and template files (by SHA-256) process `name` runs with.
 * Called when `serve` and `work` start, right after the files were loaded and checked, and when
 * `serve` reloads them (`files`: the digests checked; `detail`: what the reload changed).
 */
export async function auditRulesLoaded(
  tf: Pick<Tideflow, 'access' | 'config'>,
  name: string,
  files?: FileDigest[],
  detail: Record<string, unknown> = {},
): Promise<FileDigest[]> {
  const digests = files ?? (await ruleDigests(tf.config));
  await auditCli(tf, 'rules.load', undefined, { process: name, pid: process.pid, ...detail, files: digests });
  return digests;
}

/** The SHA-256 of every rule and template file, as the audit log names them (`rules/…`, `templates/…`). */
export function ruleDigests(
  config: Pick<Config, 'TIDEFLOW_RULES_DIR' | 'TIDEFLOW_TEMPLATES_DIR'>,
): Promise<FileDigest[]> {
  return fileDigests({ rules: config.TIDEFLOW_RULES_DIR, templates: config.TIDEFLOW_TEMPLATES_DIR });
}
