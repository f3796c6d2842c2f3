import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's chromium, driven by playwright-core. CI installs it (`.ci/run`); elsewhere set
 * LEDGER_TEST_CHROMIUM to a Chromium or Chrome binary. Without one the browser tests are skipped,
 * and say so in their names, unless LEDGER_TEST_REQUIRE_CHROMIUM=1 (as CI sets) makes that an error.
 */
const CANDIDATES = [
  process.env.LEDGER_TEST_CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
];

export const chromiumPath: string | undefined = CANDIDATES.find(
  (path): path is string => path !== undefined && path !== '' && existsSync(path),
);

if (chromiumPath === undefined && process.env.LEDGER_TEST_REQUIRE_CHROMIUM === '1')
  throw new Error('LEDGER_TEST_REQUIRE_CHROMIUM is set but no chromium was found');

export const NO_BROWSER_REASON =
  chromiumPath === undefined ? ' (skipped: no chromium here; install Debian’s chromium)' : '';

export function launchBrowser(): Promise<Browser> {
  if (chromiumPath === undefined) throw new Error('no chromium to launch');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}
