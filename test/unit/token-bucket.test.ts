import { takeToken, type TokenBucket } from '../../src/domain/token-bucket.js';

const limit = { perSecond: 2, burst: 3 };

test('a new bucket is full: a burst passes, the next request waits for one token', () => {
  let bucket: TokenBucket | undefined;
  for (let i = 0; i < 3; i++) {
    const t = takeToken(bucket, limit, 0);
    expect(t.ok).toBe(true);
    bucket = t.bucket;
  }
  expect(takeToken(bucket, limit, 0)).toEqual({ ok: false, bucket: { tokens: 0, at: 0 }, retryAfterSeconds: 1 });
});

test('tokens come back at the rate, never beyond the burst; Retry-After rounds up to whole seconds', () => {
  const empty = { tokens: 0, at: 1000 };
  expect(takeToken(empty, limit, 1250).ok).toBe(false);
  expect(takeToken(empty, limit, 1500)).toEqual({ ok: true, bucket: { tokens: 0, at: 1500 } });
  expect(takeToken(empty, limit, 60_000).bucket.tokens).toBe(2);
  expect(takeToken({ tokens: 0, at: 0 }, { perSecond: 0.1, burst: 1 }, 2000)).toMatchObject({
    ok: false,
    retryAfterSeconds: 8,
  });
});

test('a clock that goes backwards refills nothing', () => {
  expect(takeToken({ tokens: 0.5, at: 5000 }, limit, 4000)).toMatchObject({ ok: false, bucket: { tokens: 0.5 } });
});
