import type { Config } from '../config/config.js';
import type { FileDigest } from '../domain/audit-entry.js';
import { ValidationError, formatIssues } from '../errors.js';
import type { Tideflow } from '../main.js';
import { auditRulesLoaded, ruleDigests } from '../wiring/access.js';
import { checkRuleDir } from '../rules/rule-set.js';
import { ruleExtensions } from './validate.js';

/** What `serve` runs with one rule set (Tideflow over the shared connection, its worker, the API). */
export interface Served {
  tf: Tideflow;
  close(): Promise<void>;
}

export interface ReloadDeps<S extends Served> {
  config: Config;
  /** Composes Tideflow, a worker and the API over the rule files as they are now. */
  compose(): Promise<S>;
  log(line: string): void;
}

export interface Reloader<S extends Served> {
  current(): S;
  /**
   * Checks the whole rules and templates folders as `tideflow validate` does; when valid, composes
   * a new service over them, swaps it in, stops the previous one, and logs and audits the files'
   * hashes. Anything invalid is logged with every problem and the previous set stays. A change
   * that leaves every file's content as it was reloads nothing; SIGHUP always reloads.
   */
  reload(cause: 'change' | 'SIGHUP'): Promise<void>;
}

function changes(before: readonly FileDigest[], after: readonly FileDigest[]): string[] {
  const old = new Map(before.map((f) => [f.file, f.sha256]));
  const now = new Set(after.map((f) => f.file));
  return [
    ...after
      .filter((f) => old.get(f.file) !== f.sha256)
      .map((f) => `  ${f.sha256.slice(0, 12)}  ${f.file}${old.has(f.file) ? '' : ' (new)'}`),
    ...before.filter((f) => !now.has(f.file)).map((f) => `  ${'removed'.padEnd(12)}  ${f.file}`),
  ];
}

export function rulesReloader<S extends Served>(
  deps: ReloadDeps<S>,
  initial: { served: S; files: FileDigest[] },
): Reloader<S> {
  let served = initial.served;
  let files = initial.files;
  const { config, log } = deps;
  return {
    current: () => served,
    async reload(cause) {
      const digests = await ruleDigests(config);
      const changed = changes(files, digests);
      if (cause === 'change' && changed.length === 0) return;
      const { issues } = await checkRuleDir(config.TIDEFLOW_RULES_DIR, ruleExtensions(config.TIDEFLOW_TEMPLATES_DIR));
      if (issues.length > 0) {
        const problems = formatIssues(new ValidationError('invalid rules', issues)).split('\n');
        // One write: the header and its problems reach the log together.
        log(
          [
            `tideflow serve: rules not reloaded (${issues.length} problem${issues.length === 1 ? '' : 's'}); the previous set stays in force:`,
            ...problems.map((line) => `  ${line}`),
          ].join('\n'),
        );
        return;
      }
      let next: S;
      try {
        next = await deps.compose();
      } catch (err) {
        log(`tideflow serve: rules not reloaded; the previous set stays in force: ${describe(err)}`);
        return;
      }
      const previous = served;
      served = next;
      files = digests;
      await previous.close();
      log(
        [
          `tideflow serve: rules reloaded (${cause}): ${digests.length} files, ${changed.length} changed${changed.length ? ':' : ''}`,
          ...changed,
        ].join('\n'),
      );
      await auditRulesLoaded(next.tf, 'serve', digests, {
        reload: cause,
        changed: changed.map((l) => l.trim().split(/\s+/)[1]),
      });
    },
  };
}

function describe(err: unknown): string {
  if (err instanceof ValidationError) return formatIssues(err);
  return err instanceof Error ? err.message : String(err);
}
