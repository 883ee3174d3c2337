import twilio from 'twilio';

/**
 * Whether a webhook request really comes from Twilio: `X-Twilio-Signature` checked with the
 * twilio SDK against the account's auth token, the full URL Twilio requested (as configured:
 * public base URL, path and query) and the form fields. A missing signature or token is invalid.
 */
export function verifyTwilioSignature(
  authToken: string | undefined,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!authToken || !signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}
