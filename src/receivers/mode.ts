/**
 * A receiver's behaviour switch: `set('throttle', 2)` makes the next two requests fail that way,
 * then the receiver accepts again; `set('throttle')` keeps failing until told otherwise.
 */
export interface ModeSwitch<M extends string> {
  /** The mode for the request that is arriving now (counts it against a limited mode). */
  take(): M | 'accept';
  set(mode: M | 'accept', times?: number): void;
}

export function modeSwitch<M extends string>(): ModeSwitch<M> {
  let mode: M | 'accept' = 'accept';
  let left = Infinity;
  return {
    take() {
      const current = mode;
      if (current !== 'accept' && --left <= 0) mode = 'accept';
      return current;
    },
    set(next, times = Infinity) {
      if (!(times > 0)) throw new RangeError(`times must be positive, got ${times}`);
      mode = next;
      left = times;
    },
  };
}

/** Keeps at most `limit` items, dropping the oldest, so a long demo cannot grow memory unbounded. */
export function pushBounded<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  if (list.length > limit) list.splice(0, list.length - limit);
}
