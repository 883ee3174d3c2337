/** Time spent in one port method, summed over its calls (calls in flight together overlap). */
export interface PortTime {
  ms: number;
  calls: number;
}

/**
 * Wraps every method of some ports so the time spent in each adds up in `into` under
 * `<port>.<method>`: where a verb's time goes, without touching the verb.
 */
export function timedPorts<P extends Record<string, object>>(ports: P, into: Record<string, PortTime>): P {
  const out: Record<string, object> = {};
  for (const [name, port] of Object.entries(ports)) {
    const wrapped: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(port)) {
      if (typeof fn !== 'function') {
        wrapped[method] = fn;
        continue;
      }
      const t = (into[`${name}.${method}`] ??= { ms: 0, calls: 0 });
      // Synchronous methods (a channel's fingerprint) stay synchronous.
      wrapped[method] = (...args: unknown[]) => {
        const started = performance.now();
        const done = (): void => {
          t.ms += performance.now() - started;
          t.calls += 1;
        };
        let out: unknown;
        try {
          out = (fn as (...a: unknown[]) => unknown).apply(port, args);
        } catch (err) {
          done();
          throw err;
        }
        if (out instanceof Promise) return out.finally(done);
        done();
        return out;
      };
    }
    out[name] = wrapped;
  }
  return out as P;
}

/** `name ms (calls)` for a note, largest first. */
export function describeTimes(times: Record<string, PortTime>): string {
  return Object.entries(times)
    .filter(([, t]) => t.calls > 0)
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([k, t]) => `${k} ${Math.round(t.ms)} ms (${t.calls} calls)`)
    .join(', ');
}
