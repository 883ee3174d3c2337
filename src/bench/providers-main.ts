import { startLocalProviders } from '../receivers/start-receivers.js';

/**
 * The local providers (SMTP receiver, Twilio-compatible SMS endpoint, push gateway) in a process
 * of their own, as real providers would be: `node dist/bench/providers-main.js` prints their
 * channel environment as one JSON line, and stops when its stdin closes (its parent exited or let
 * go of it). The campaign benchmarks send to it, so Tideflow's event loop serves only Tideflow.
 */
async function main(): Promise<void> {
  // Keep only the latest messages: a 100k run sends about 80,000.
  const providers = await startLocalProviders({ smtp: { limit: 100 }, sms: { limit: 100 }, push: { limit: 100 } });
  process.stdout.write(`${JSON.stringify(providers.env)}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void providers.close().finally(() => process.exit(0));
  });
}

await main();
