import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

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

/** Presses Tab until the element is focused, as a keyboard user would; fails if it never is. */
export async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 120; presses++) {
    const focused = await page
      .locator(selector)
      .first()
      .evaluate((element) => element === element.ownerDocument.activeElement);
    if (focused) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** £ and pence written by hand from the API's decimal string, to compare with a page. */
export function pounds(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '', pence = ''] = amount.replace('-', '').split('.');
  return `${negative ? '−' : ''}£${Number(whole).toLocaleString('en-GB')}.${pence}`;
}
