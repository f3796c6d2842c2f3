import { join } from 'node:path';
import { launchBrowser } from '../test/support/browser.ts';
import { startWebServer } from '../test/support/web-server.ts';

/**
 * The screenshots in docs/screenshots/ (shown in README.md), taken afresh from the demo ledger in
 * Debian's chromium: the CFO group's dashboard, the printed pack and the audit trail.
 *
 *   npm run docs:screenshots
 */
const out = join(import.meta.dirname, '../docs/screenshots');
const server = await startWebServer();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.origin}/app/sign-in`);
  await page.fill('#userId', 'cfo');
  await page.fill('#password', server.passwords.cfo ?? '');
  await page.click('button:text-is("Sign in")');
  await page.waitForURL(`${server.origin}/app`);
  await page.goto(`${server.origin}/app/pools/herts/2017-18/Q2`);
  await page.screenshot({
    path: join(out, 'dashboard.png'),
    fullPage: false,
    clip: { x: 0, y: 180, width: 1280, height: 1400 },
  });
  await page.goto(`${server.origin}/app/pools/herts/2017-18/Q2/pack`);
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 1123, height: 794 });
  await page.screenshot({ path: join(out, 'pack.png'), fullPage: false });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.origin}/app/audit?type=VirementApproved.v1`);
  await page.screenshot({ path: join(out, 'audit.png'), fullPage: false });
  process.stdout.write(`screenshots written to ${out}\n`);
} finally {
  await browser.close();
  await server.close();
}
