import { watch, type FSWatcher } from 'node:fs';

/**
 * Calls `reload` when a file under `dirs` changes (after `debounceMs` of quiet, so an editor's
 * save or a `git pull` is one reload) and on SIGHUP. Reloads never overlap: a change during one
 * runs the next right after it. A folder that does not exist is not watched (SIGHUP still works).
 */
export function watchRules(
  dirs: readonly string[],
  debounceMs: number,
  reload: (cause: 'change' | 'SIGHUP') => Promise<void>,
  report: (err: unknown) => void,
): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let queued: 'change' | 'SIGHUP' | undefined;
  const run = (cause: 'change' | 'SIGHUP'): void => {
    if (running) {
      queued = queued === 'SIGHUP' ? queued : cause;
      return;
    }
    running = reload(cause)
      .catch(report)
      .finally(() => {
        running = undefined;
        const next = queued;
        queued = undefined;
        if (next) run(next);
      });
  };
  const changed = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => run('change'), debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const dir of dirs) {
    try {
      watchers.push(watch(dir, { recursive: true }, changed).on('error', report));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const hup = (): void => run('SIGHUP');
  process.on('SIGHUP', hup);
  return {
    /** Stops watching; resolves once a reload under way has finished. */
    async stop() {
      clearTimeout(timer);
      queued = undefined;
      process.off('SIGHUP', hup);
      for (const w of watchers) w.close();
      await running;
    },
  };
}
