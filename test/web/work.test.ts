import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTransparencySpend } from '../../scripts/transparency-spend.ts';
import { decisionForms } from '../../src/web/forms/decision-forms.ts';
import { officerForms } from '../../src/web/forms/officer-forms.ts';
import { setUpForms } from '../../src/web/forms/set-up-forms.ts';
import {
  chromiumPath,
  launchBrowser,
  NO_BROWSER_REASON,
  pounds,
  tabTo,
} from '../support/browser.ts';
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

async function signIn(
  userId: string,
  password: string,
): Promise<{ context: BrowserContext; page: Page }> {
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
      ['walk-cfo-deputy', 'cfo'],
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
    writeFileSync(
      spendFile,
      generateTransparencySpend({ lines: 300, seed: 11, clean: true }).bytes,
    );
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
    const spendId = formKeys.at(-1) ?? '';
    const credited = await fillAndConfirm(
      page,
      `/app/do/record-credit-note?pool=${POOL}&year=${YEAR}`,
      {
        '#creditsSpendId': spendId,
        ...date('creditDate', '20', '6', '2017'),
        '#amount': '500.00',
        '#supplier': 'Care at Home Ltd',
      },
    );
    expect(credited).toContain('Credit note recorded');
    const recoded = await fillAndConfirm(page, `/app/do/recode-spend?pool=${POOL}&year=${YEAR}`, {
      '#spendId': spendId,
      '#toSchemeId': '2',
      '#toFundingStream': 'Minimum CCG Contribution',
      '#amount': '2000.00',
      '#reason': 'Half the visits were reablement',
    });
    expect(recoded).toContain('Posting recoded');
    const requested = await fillAndConfirm(
      page,
      `/app/do/request-virement?pool=${POOL}&year=${YEAR}`,
      {
        '#fundingStream': 'Minimum CCG Contribution',
        '#fromSchemeId': '1',
        '#toSchemeId': '2',
        '#amount': '10000.00',
      },
    );
    expect(requested).toContain('Virement requested');
    await context.close();
  }, 180_000);

  it('a CFO approves the virement and signs Q1 off with the keyboard alone', async () => {
    const { context, page } = await signIn('walk-cfo', passwords['walk-cfo'] ?? '');
    await tabTo(page, 'a:text-is("Decisions")');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/inbox/);
    await axe(page);
    await tabTo(page, 'a:has-text("Approve")');
    await page.keyboard.press('Enter');
    await page.waitForURL(/approve-virement/);
    expect(await page.locator('main').innerText()).toContain('£10,000.00');
    await tabTo(page, '#_reason');
    await page.keyboard.type('Reablement is ahead of plan');
    await tabTo(page, 'button:text-is("Continue")');
    await page.keyboard.press('Enter');
    // The check page is at the form's own address: wait for its heading, not for the address.
    await expect.poll(() => page.locator('h1').innerText()).toBe('Check your answers');
    await tabTo(page, 'button:text-is("Confirm and record")');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/done\/approve-virement/);
    expect(await page.locator('h1').innerText()).toContain('Virement approved');
    // The officer asks for the close once the virement is decided: it is part of the position.
    const officer = await signIn('walk-officer', passwords['walk-officer'] ?? '');
    const closeAsked = await fillAndConfirm(
      officer.page,
      `/app/do/request-quarter-close?pool=${POOL}&year=${YEAR}&subject=Q1`,
      {},
    );
    expect(closeAsked).toContain('Quarter close requested');
    await officer.context.close();
    await page.goto(`${server.origin}/app/inbox`);
    await tabTo(page, 'a:has-text("Sign off")');
    await page.keyboard.press('Enter');
    await page.waitForURL(/approve-quarter-close/);
    const signOff = await page.locator('main').innerText();
    const report = (await api(`/pools/${POOL}/years/${YEAR}/quarters/Q1`)) as { digest?: string };
    expect(signOff).toContain(report.digest ?? 'no digest from the API');
    await tabTo(page, '#_reason');
    await page.keyboard.type('Reviewed at the CFO group');
    await tabTo(page, 'button:text-is("Continue")');
    await page.keyboard.press('Enter');
    await tabTo(page, 'button:text-is("Confirm and record")');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/done\/approve-quarter-close/);
    expect(await page.locator('h1').innerText()).toContain('Quarter signed off');
    await context.close();
  }, 120_000);

  it('then shows on the dashboard the figures the JSON API gives for the pool and quarter', async () => {
    const { context, page } = await signIn('walk-cfo', passwords['walk-cfo'] ?? '');
    await page.goto(`${server.origin}/app/pools/${POOL}/${YEAR}/Q1`);
    await axe(page);
    const report = (await api(`/pools/${POOL}/years/${YEAR}/quarters/Q1`)) as {
      position: { totals: Record<string, string> };
      status: { closed: boolean; closedBy: string };
    };
    expect(report.status).toMatchObject({ closed: true, closedBy: 'walk-cfo' });
    const text = await page.locator('main').innerText();
    for (const key of ['budget', 'spendInQuarter', 'spendYearToDate', 'forecastOutturn'])
      expect(text).toContain(pounds(report.position.totals[key] ?? 'missing'));
    await context.close();
  }, 60_000);

  it('records spend with the keyboard alone', async () => {
    const { context, page } = await signIn('walk-officer', passwords['walk-officer'] ?? '');
    await page.goto(`${server.origin}/app/pools/${POOL}/${YEAR}/work`);
    await tabTo(page, 'a:text-is("Record spend")');
    await page.keyboard.press('Enter');
    await page.waitForURL(/record-spend/);
    const before = await ledgerVersion();
    const typeInto = async (selector: string, text: string) => {
      await tabTo(page, selector);
      await page.keyboard.type(text);
    };
    /** Chooses an option as a keyboard user does: the arrow keys, down to it. */
    const chooseWithArrows = async (selector: string, value: string) => {
      await tabTo(page, selector);
      const index = await page
        .locator(`${selector} option`)
        .evaluateAll(
          (options, wanted) =>
            options.findIndex(
              (option) => (option as unknown as { value: string }).value === wanted,
            ),
          value,
        );
      for (let press = 0; press < index; press++) await page.keyboard.press('ArrowDown');
      expect(await page.locator(selector).inputValue()).toBe(value);
    };
    await chooseWithArrows('#schemeId', '2');
    await chooseWithArrows('#fundingStream', 'Minimum CCG Contribution');
    await typeInto('#spendDate-day', '3');
    await typeInto('#spendDate-month', '7');
    await typeInto('#spendDate-year', '2017');
    await typeInto('#amount', '750.25');
    await typeInto('#supplier', 'Keyboard Care');
    await tabTo(page, 'button:text-is("Continue")');
    await page.keyboard.press('Enter');
    // The check page is at the form's own address: wait for its heading, not for the address.
    await expect.poll(() => page.locator('h1').innerText()).toBe('Check your answers');
    expect(await page.locator('main').innerText()).toContain('750.25');
    await tabTo(page, 'button:text-is("Confirm and record")');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/done\/record-spend/);
    expect(await page.locator('h1').innerText()).toContain('Spend recorded');
    expect(await ledgerVersion()).toBeGreaterThan(before);
    await context.close();
  }, 60_000);

  it('neither offers nor accepts an approval from the person who made the request', async () => {
    const { context, page } = await signIn('walk-cfo', passwords['walk-cfo'] ?? '');
    await fillAndConfirm(page, `/app/do/request-virement?pool=${POOL}&year=${YEAR}`, {
      '#fundingStream': 'Minimum CCG Contribution',
      '#fromSchemeId': '2',
      '#toSchemeId': '1',
      '#amount': '100.00',
    });
    const virementId = formKeys.at(-1) ?? '';
    await page.goto(`${server.origin}/app/inbox`);
    const row = page.locator('tr', { hasText: virementId });
    expect(await row.innerText()).toContain('You asked for this');
    expect(await row.locator('a').count()).toBe(0);
    await page.goto(
      `${server.origin}/app/do/approve-virement?pool=${POOL}&year=${YEAR}&subject=${virementId}`,
    );
    expect(await page.locator('#blocked').innerText()).toContain('You made this request');
    expect(await page.locator('button:text-is("Continue")').count()).toBe(0);
    // Sent anyway, as a hand-made form would be: the ledger refuses it and records nothing.
    const before = await ledgerVersion();
    const answer = await page.request.post(`${server.origin}/app/do/approve-virement`, {
      form: {
        _csrf: await page.locator('input[name=_csrf]').first().inputValue(),
        pool: POOL,
        year: YEAR,
        subject: virementId,
        _key: crypto.randomUUID(),
        _version: String(before),
        _reason: 'my own request',
        _step: 'confirm',
      },
    });
    expect(await answer.text()).toContain(
      'was requested by you, so another approver must decide it',
    );
    expect(await ledgerVersion()).toBe(before);
    // Q1 is closed: the request is made in Q2.
    const virements = (await api(`/pools/${POOL}/years/${YEAR}/quarters/Q2`)) as {
      position: { virements: { virementId: string; status: string }[] };
    };
    expect(
      virements.position.virements.find((each) => each.virementId === virementId)?.status,
    ).toBe('pending');
    await context.close();
  }, 60_000);

  it('records a form sent twice, or double-clicked, once', async () => {
    const { context, page } = await signIn('walk-officer', passwords['walk-officer'] ?? '');
    await page.goto(`${server.origin}/app/do/record-spend?pool=${POOL}&year=${YEAR}`);
    await page.selectOption('#schemeId', '1');
    await page.selectOption('#fundingStream', 'Minimum CCG Contribution');
    await page.fill('#spendDate-day', '9');
    await page.fill('#spendDate-month', '8');
    await page.fill('#spendDate-year', '2017');
    await page.fill('#amount', '321.00');
    await page.click('button:text-is("Continue")');
    await page.waitForSelector('button:text-is("Confirm and record")');
    const fields = await page
      .locator('form:has(button:text-is("Confirm and record")) input')
      .evaluateAll((inputs) =>
        inputs.map((input) => [
          (input as unknown as { name: string }).name,
          (input as unknown as { value: string }).value,
        ]),
      );
    const form = { ...Object.fromEntries(fields), _step: 'confirm' };
    const before = await ledgerVersion();
    const url = `${server.origin}/app/do/record-spend`;
    const [first, second] = await Promise.all([
      page.request.post(url, { form }),
      page.request.post(url, { form }),
    ]);
    const once = await ledgerVersion();
    expect(once, `${first.url()} and ${second.url()}`).toBe(before + 1);
    expect(first.url()).toContain('/app/done/record-spend');
    expect(second.url()).toContain('/app/done/record-spend');
    const again = await page.request.post(url, { form });
    expect(again.url()).toContain('again=1');
    expect(await again.text()).toContain('nothing new was recorded');
    expect(await ledgerVersion()).toBe(once);
    await context.close();
  }, 60_000);

  it('refuses a form filled in against a version the ledger has moved past, naming what changed', async () => {
    const officer = await signIn('walk-officer', passwords['walk-officer'] ?? '');
    const page = officer.page;
    await page.goto(`${server.origin}/app/do/record-spend?pool=${POOL}&year=${YEAR}`);
    await page.selectOption('#schemeId', '1');
    await page.selectOption('#fundingStream', 'Minimum CCG Contribution');
    await page.fill('#spendDate-day', '10');
    await page.fill('#spendDate-month', '8');
    await page.fill('#spendDate-year', '2017');
    await page.fill('#amount', '99.00');
    await page.click('button:text-is("Continue")');
    const cfo = await signIn('walk-cfo', passwords['walk-cfo'] ?? '');
    await fillAndConfirm(cfo.page, `/app/do/record-spend?pool=${POOL}&year=${YEAR}`, {
      '#schemeId': '6',
      '#fundingStream': 'Minimum CCG Contribution',
      ...date('spendDate', '11', '8', '2017'),
      '#amount': '4321.00',
    });
    await cfo.context.close();
    const moved = await ledgerVersion();
    await page.click('button:text-is("Confirm and record")');
    const notice = await page.locator('[role=alert]').first().innerText();
    expect(notice).toContain('The ledger changed since you opened this form');
    expect(notice).toContain('Spend recorded (scheme 6');
    expect(notice).toContain('£4321.00');
    expect(notice).toContain('by walk-cfo');
    expect(await ledgerVersion()).toBe(moved);
    expect(await page.locator('#amount').inputValue()).toBe('99.00');
    await page.click('button:text-is("Continue")');
    await page.click('button:text-is("Confirm and record")');
    await page.waitForURL(/\/app\/done\/record-spend/);
    expect(await ledgerVersion()).toBe(moved + 1);
    await officer.context.close();
  }, 60_000);

  it('enters the forecasts of every line of a quarter on one page', async () => {
    const { context, page } = await signIn('walk-officer', passwords['walk-officer'] ?? '');
    await page.goto(`${server.origin}/app/pools/${POOL}/${YEAR}/forecasts?quarter=Q2`);
    await axe(page);
    const row = page
      .locator('tr', { hasText: '2: ' })
      .filter({ hasText: 'Minimum CCG Contribution' });
    await row.locator('input').fill('not money');
    await page.click('button:text-is("Record the forecasts")');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Forecast of 2, Minimum CCG Contribution: "not money"',
    );
    await axe(page);
    await row.locator('input').fill('£1,234,567.89');
    await page.click('button:text-is("Record the forecasts")');
    await page.waitForURL(/\/Q2$/);
    const report = (await api(`/pools/${POOL}/years/${YEAR}/quarters/Q2`)) as {
      position: { lines: { schemeId: string; fundingStream: string; forecastOutturn: string }[] };
    };
    const line = report.position.lines.find(
      (each) => each.schemeId === '2' && each.fundingStream === 'Minimum CCG Contribution',
    );
    expect(line?.forecastOutturn).toBe('1234567.89');
    await context.close();
  }, 60_000);

  it('shows every form, and its errors in plain English beside the fields and in the summary', async () => {
    const as = {
      'walk-officer': officerForms.map((spec) => spec.slug),
      'walk-cfo': decisionForms.map((spec) => spec.slug),
      admin: setUpForms({ referenceData: [], mappings: [] }).map((spec) => spec.slug),
    };
    for (const [userId, slugs] of Object.entries(as)) {
      const password = userId === 'admin' ? server.passwords.admin : passwords[userId];
      const { context, page } = await signIn(userId, password ?? '');
      for (const slug of slugs) {
        await page.goto(`${server.origin}/app/do/${slug}?pool=${POOL}&year=${YEAR}&subject=Q2`);
        expect(await page.locator('h1').count(), slug).toBe(1);
        await axe(page);
        if ((await page.locator('button:text-is("Continue")').count()) === 0) continue;
        await page.click('button:text-is("Continue")');
        // The answer to the post is at the form's address without its query: wait for it.
        await page.waitForURL((url) => url.pathname === `/app/do/${slug}` && url.search === '');
        const summary = page.locator('.govuk-error-summary');
        if ((await summary.count()) === 0) continue;
        const first = await summary.locator('a').first().innerText();
        expect(first, slug).toMatch(/^(Enter|Select) /);
        expect(await page.locator('.govuk-error-message').first().innerText(), slug).toContain(
          first,
        );
        await axe(page);
      }
      await context.close();
    }
  }, 180_000);

  it('approves year-end terms proposed by another CFO, showing them step by step', async () => {
    const proposed = await server.ledger.writeFace.execute({
      caller: { id: 'walk-cfo', role: 'cfo' },
      idempotencyKey: 'walk-terms',
      command: {
        type: 'ProposeYearEndTerms',
        poolId: POOL,
        year: YEAR,
        terms: {
          steps: ['offset-within-kind', 'share-overspend'],
          defaultProfile: { kind: 'contributions' },
          lineProfiles: [{ schemeId: '1', fundingStream: 'iBCF', profile: { kind: 'host' } }],
          defaultUnderspend: 'carry-forward',
          underspend: [],
          unallocated: 'return-to-contributors',
        },
      },
    });
    expect(proposed.kind).toBe('recorded');
    const own = await signIn('walk-cfo', passwords['walk-cfo'] ?? '');
    await own.page.goto(`${server.origin}/app/do/approve-year-end-terms?pool=${POOL}&year=${YEAR}`);
    expect(await own.page.locator('#blocked').innerText()).toContain('You made this request');
    await own.context.close();
    const { context, page } = await signIn('walk-cfo-deputy', passwords['walk-cfo-deputy'] ?? '');
    await page.goto(`${server.origin}/app/inbox`);
    await page
      .locator('tr', { hasText: 'Year-end terms' })
      .locator('a:has-text("Approve")')
      .click();
    await page.waitForURL(/approve-year-end-terms/);
    await axe(page);
    const shown = await page.locator('main').innerText();
    expect(shown).toContain('offset-within-kind, then share-overspend');
    expect(shown).toContain('Overspend of 1, iBCF');
    expect(shown).toContain('in proportion to host');
    await page.fill('#_reason', 'As agreed in the section 75 agreement');
    await page.click('button:text-is("Continue")');
    await page.click('button:text-is("Confirm and record")');
    await page.waitForURL(/\/app\/done\/approve-year-end-terms/);
    expect(await page.locator('h1').innerText()).toContain('Year-end terms approved');
    await context.close();
  }, 60_000);

  it('shows on a confirmation only an event of a pool the person may read', async () => {
    const { context, page } = await signIn('walk-officer', passwords['walk-officer'] ?? '');
    const theirs = (await server.ledger.store.readStream('ledger-herts-2017-18', { limit: 1 }))[0];
    const position = theirs?.globalPosition ?? 0;
    expect(position).toBeGreaterThan(0);
    for (const pool of [POOL, 'herts']) {
      await page.goto(
        `${server.origin}/app/done/record-spend?pool=${pool}&year=${YEAR}&position=${position}`,
      );
      expect(await page.locator('main').innerText()).not.toContain(`event ${position}`);
    }
    await context.close();
  }, 60_000);

  it('finds no serious or critical accessibility problem on any page of the walk', () => {
    expect(violations).toEqual([]);
  });
});
