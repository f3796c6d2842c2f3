import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../api/api-harness.ts';
import { chromiumPath, launchBrowser, NO_BROWSER_REASON } from '../support/browser.ts';

/** The API reference at /docs in a real browser, under the ledger's content security policy. */
let api: Harness;
let browser: Browser;
let origin: string;
beforeAll(async () => {
  if (chromiumPath === undefined) return;
  api = await startHarness();
  origin = await api.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe.skipIf(chromiumPath === undefined)(`the API reference${NO_BROWSER_REASON}`, () => {
  it('renders every operation with nothing refused by the content security policy', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    page.on('pageerror', (error) => refused.push(error.message));
    const answer = await page.goto(`${origin}/docs/`);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    const operations = await page.locator('.opblock').count();
    const document = (await (await fetch(`${origin}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.values(document.paths).reduce(
      (sum, path) => sum + Object.keys(path).length,
      0,
    );
    expect(operations).toBe(documented);
    expect(refused).toEqual([]);
  }, 60_000);
});
