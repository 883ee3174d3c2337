// Debian's chromium for browser tests: installed by tools/install-browser.sh when missing, then
// driven by playwright-core. Without it the tests skip, with the reason, outside CI only.
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

async function present(): Promise<boolean> {
  try {
    await access(CHROMIUM);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether chromium is there, installing it if it is not. In CI a failed install throws (the
 * browser tests must run there); elsewhere it answers with the reason to skip.
 */
export async function ensureChromium(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (await present()) return { ok: true };
  let detail = '';
  try {
    await promisify(execFile)('bash', ['tools/install-browser.sh'], { timeout: 600_000 });
  } catch (err) {
    detail = err instanceof Error ? err.message : String(err);
  }
  if (await present()) return { ok: true };
  const reason = `${CHROMIUM} is missing and tools/install-browser.sh could not install it${detail ? `: ${detail.split('\n')[0]}` : ''}`;
  if (process.env.CI) throw new Error(`${reason} (CI must run the browser tests)`);
  return { ok: false, reason };
}

/** A headless chromium with a throwaway profile (its --user-data-dir); `close` removes the profile too. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'tideflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1100, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
