/** A token bucket: `tokens` left at `at` (milliseconds on a monotonic clock). */
export interface TokenBucket {
  tokens: number;
  at: number;
}

/** Refill rate and capacity. */
export interface BucketLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Capacity: the largest burst. */
  burst: number;
}

export type Take = { ok: true; bucket: TokenBucket } | { ok: false; bucket: TokenBucket; retryAfterSeconds: number };

/**
 * Takes one token at `now`; a new bucket (`undefined`) starts full. When none is left, says how
 * many whole seconds until one is (at least 1), for `Retry-After`.
 */
export function takeToken(bucket: TokenBucket | undefined, limit: BucketLimit, now: number): Take {
  const elapsed = bucket ? Math.max(0, now - bucket.at) / 1000 : 0;
  const tokens = bucket ? Math.min(limit.burst, bucket.tokens + elapsed * limit.perSecond) : limit.burst;
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, at: now } };
  return {
    ok: false,
    bucket: { tokens, at: now },
    retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.perSecond)),
  };
}
