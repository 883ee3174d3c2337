import { z } from 'zod';

/**
 * The sender's signature a marketing SMS in mainland China starts with, in 【】 (for example
 * 【潮汐基金】). Written with or without the brackets; kept as the name inside them, 2 to 12
 * characters, none of them a bracket or a line break.
 */
export const SmsSignature = z
  .string()
  .transform((s) => s.trim().replace(/^【(.*)】$/u, '$1'))
  .pipe(
    z
      .string()
      .refine((name) => [...name].length >= 2 && [...name].length <= 12, {
        message: 'a signature has 2 to 12 characters inside 【】',
      })
      .refine((name) => !/[【】\r\n]/u.test(name), { message: 'a signature holds no 【, 】 or line break' }),
  );
export type SmsSignature = z.infer<typeof SmsSignature>;

/** `body` starting with the signature in 【】, unless it starts so already. */
export function withSignature(body: string, signature: string | undefined): string {
  if (signature === undefined) return body;
  const mark = `【${signature}】`;
  return body.startsWith(mark) ? body : `${mark}${body.trimStart()}`;
}
