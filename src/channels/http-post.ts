import http from 'node:http';
import https from 'node:https';

/** The answer to one POST, or why there was none and whether the request had left. */
export type PostAnswer =
  { kind: 'answer'; status: number; body: string } | { kind: 'no-answer'; error: Error; requestSent: boolean };

/** The largest response body read; providers answer with a few hundred bytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One POST, no retries, no connection reuse. A fresh connection per request means a reset can
 * only come from the provider acting on this request, never from a stale pooled socket, so
 * "request sent, no answer" stays a meaningful signal.
 */
export function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostAnswer> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (a: PostAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = lib.request(target, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const noAnswer = (error: Error): void => {
      settle({ kind: 'no-answer', error, requestSent: req.writableFinished });
      req.destroy();
    };
    const timer = setTimeout(() => noAnswer(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    req.on('error', noAnswer);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
      });
      res.on('end', () =>
        settle({ kind: 'answer', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', noAnswer);
    });
    req.end(body);
  });
}
