import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../config/config.js';

/** Where the benchmarks find the shipped rules and templates, and the instant their platform stands at. */

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RULES_DIR = join(PACKAGE_ROOT, 'rules');
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
export const RESULTS_DIR = join(PACKAGE_ROOT, 'bench', 'results');

/** The end of the synthetic history, a Friday 10:00 in Shanghai: inside every channel's allowed hours. */
export const BENCH_NOW = new Date('2026-11-20T10:00:00+08:00');
export const BENCH_TZ = 'Asia/Shanghai';
/** Days of history the generator writes (the retention of rules/scoring.json). */
export const HISTORY_DAYS = 90;

/** Tideflow's configuration for the benchmarks: the shipped rules and templates, plus `env`. */
export function benchConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    TIDEFLOW_RULES_DIR: RULES_DIR,
    TIDEFLOW_TEMPLATES_DIR: TEMPLATES_DIR,
    TIDEFLOW_TZ: BENCH_TZ,
    LOG_LEVEL: 'warn',
    ...env,
  });
}
