import { join } from 'node:path';
import { launchBrowser } from '../test/support/browser.ts';
import { startWebServer } from '../test/support/web-server.ts';

/**
 * The screenshots in docs/screenshots/ (shown in README.md), taken afresh from the demo ledger in
 * Debian's chromium: the CFO group's dashboard, the printed pack, the audit trail, and an officer
 * checking the answers of a spend before recording it.
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
  await page.goto(`${server.origin}/app/do/record-spend?pool=herts&year=2018-19`);
  await page.selectOption('#schemeId', '9');
  await page.selectOption('#fundingStream', 'Minimum CCG Contribution');
  await page.fill('#spendDate-day', '14');
  await page.fill('#spendDate-month', '5');
  await page.fill('#spendDate-year', '2018');
  await page.fill('#amount', '£18,250.00');
  await page.fill('#supplier', 'Herts Reablement Partnership');
  await page.fill('#erpReference', 'AP-2018-00417');
  await page.click('button:text-is("Continue")');
  await page.screenshot({ path: join(out, 'check-answers.png'), fullPage: false });
  process.stdout.write(`screenshots written to ${out}\n`);
} finally {
  await browser.close();
  await server.close();
}
