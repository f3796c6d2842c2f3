import AxeBuilder from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  launchBrowser,
  NO_BROWSER_REASON,
  pounds,
  tabTo,
} from '../support/browser.ts';
import { startWebServer, type WebServer } from '../support/web-server.ts';

/**
 * The pages in a real headless Chromium, on the demo ledger: each role signs in and sees what it
 * may; the dashboard shows the figures the API gives; axe finds nothing serious; the keyboard
 * alone gets through; the pack prints; sign-in is throttled, CSRF-checked and times out.
 */
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  if (chromiumPath === undefined) return;
  server = await startWebServer();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedIn(userId: string, options: { bypassCSP?: boolean } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  await page.goto(`${server.origin}/app`);
  await page.fill('#userId', userId);
  await page.fill('#password', server.passwords[userId] ?? '');
  await page.click('button:text-is("Sign in")');
  await page.waitForURL(`${server.origin}/app`);
  return { context, page, refused };
}

async function api(path: string, as = 'cfo') {
  const answer = await fetch(`${server.origin}${path}`, {
    headers: { authorization: `Bearer ${server.tokens[as]}` },
  });
  return (await answer.json()) as Record<string, unknown>;
}

const DASHBOARD = '/app/pools/herts/2017-18/Q2';

describe.skipIf(chromiumPath === undefined)(`the pages${NO_BROWSER_REASON}`, () => {
  it('sends a visitor to sign in, and lets each role see only what it may', async () => {
    const anonymous = await browser.newPage();
    await anonymous.goto(`${server.origin}${DASHBOARD}`);
    expect(anonymous.url()).toContain('/app/sign-in?next=');
    await anonymous.close();
    const sees = async (userId: string) => {
      const { context, page, refused } = await signedIn(userId);
      const status = async (path: string) => (await page.goto(`${server.origin}${path}`))?.status();
      const seen = {
        home: await page.locator('h1').textContent(),
        dashboard: await status(DASHBOARD),
        audit: await status('/app/audit'),
        verification: await status('/app/verification'),
      };
      expect(refused, userId).toEqual([]);
      await context.close();
      return seen;
    };
    expect(await sees('officer')).toEqual({
      home: 'Your pools',
      dashboard: 200,
      audit: 200,
      verification: 403,
    });
    expect(await sees('cfo')).toEqual({
      home: 'Your pools',
      dashboard: 200,
      audit: 200,
      verification: 403,
    });
    expect(await sees('auditor')).toEqual({
      home: 'Your pools',
      dashboard: 200,
      audit: 200,
      verification: 200,
    });
    expect(await sees('admin')).toEqual({
      home: 'People',
      dashboard: 404,
      audit: 403,
      verification: 403,
    });
  });

  it('shows on the dashboard the figures the JSON API gives for the pool and quarter', async () => {
    const { context, page } = await signedIn('cfo');
    await page.goto(`${server.origin}${DASHBOARD}`);
    const report = (await api('/pools/herts/years/2017-18/quarters/Q2')) as {
      position: {
        totals: Record<string, string>;
        lines: { rag: string }[];
        streams: { fundingStream: string; contributions: string; spendYearToDate: string }[];
      };
      status: { closedDigest: string };
    };
    const figures = await page.locator('#headline dd[data-figure]').allTextContents();
    const { totals } = report.position;
    expect(figures).toEqual(
      [totals.budget, totals.spendYearToDate, totals.forecastOutturn, totals.variance].map(
        (value) => pounds(value ?? ''),
      ),
    );
    const rag = (colour: string) =>
      report.position.lines.filter((line) => line.rag === colour).length;
    expect((await page.locator('#rag-counts').textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      `Green ${rag('green')} Amber ${rag('amber')} Red ${rag('red')}`,
    );
    const streams = await page
      .locator('#streams-table tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim()),
        ),
      );
    expect(streams.map((row) => [row[0], row[1], row[3]])).toEqual(
      report.position.streams.map((stream) => [
        stream.fundingStream,
        pounds(stream.contributions),
        pounds(stream.spendYearToDate),
      ]),
    );
    expect(await page.locator('#sign-off').textContent()).toContain(report.status.closedDigest);
    expect(await page.locator('figure svg').count()).toBeGreaterThanOrEqual(6);
    await context.close();
  });

  it('has no serious or critical accessibility violations on any page (axe)', async () => {
    const pages: Record<string, string[]> = {
      cfo: [
        '/app',
        DASHBOARD,
        `${DASHBOARD}/pack`,
        '/app/audit',
        '/app/audit/events/10',
        '/app/pools/herts/2017-18/Q9',
      ],
      auditor: ['/app/verification'],
      admin: ['/app'],
    };
    const found: string[] = [];
    const anonymous = await browser.newContext({ bypassCSP: true });
    const signInPage = await anonymous.newPage();
    await signInPage.goto(`${server.origin}/app/sign-in`);
    found.push(...(await serious(signInPage, '/app/sign-in')));
    await anonymous.close();
    for (const [userId, paths] of Object.entries(pages)) {
      const { context, page } = await signedIn(userId, { bypassCSP: true });
      for (const path of paths) {
        await page.goto(`${server.origin}${path}`);
        found.push(...(await serious(page, path)));
      }
      await context.close();
    }
    expect(found).toEqual([]);
  });

  it('can be used with the keyboard alone: sign in, open the dashboard, filter the audit trail', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/app/sign-in`);
    await tabTo(page, '#userId');
    await page.keyboard.type('auditor');
    await tabTo(page, '#password');
    await page.keyboard.type(server.passwords.auditor ?? '');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.origin}/app`);
    await tabTo(page, 'a[href="/app/pools/herts/2017-18/Q4"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.origin}/app/pools/herts/2017-18/Q4`);
    expect(await page.locator('h1').textContent()).toContain('2017-18 Q4');
    await tabTo(page, 'a[href="/app/audit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.origin}/app/audit`);
    await tabTo(page, '#type');
    await page.keyboard.type('VirementApproved.v1');
    await page.keyboard.press('Enter');
    await page.waitForURL(/type=VirementApproved.v1/);
    expect(await page.locator('#audit-trail tbody tr').count()).toBe(2);
    await context.close();
  });

  it('prints the pack to PDF with its title, pool, quarter and signed-off digest on A4 landscape pages', async () => {
    const { context, page } = await signedIn('cfo');
    await page.goto(`${server.origin}${DASHBOARD}/pack`);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const { pages, text, size } = await pdfText(pdf);
    const report = (await api('/pools/herts/years/2017-18/quarters/Q2')) as {
      status: { closedDigest: string };
    };
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(size.width).toBeGreaterThan(size.height);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Hertfordshire Better Care Fund: quarterly position, 2017-18 Q2');
    expect(flat).toContain('Q2 of 2017-18');
    expect(flat).toContain('Signed off: requested by officer, approved by cfo');
    expect(text.replace(/\s+/g, '')).toContain(report.status.closedDigest);
    expect(flat).toMatch(/Page 1 of \d+/);
    await context.close();
  });

  it('gives the pack as a workbook: a title block on every sheet, RAG fills, A4 landscape, one page wide', async () => {
    const { context, page } = await signedIn('cfo');
    const response = await page.request.get(`${server.origin}${DASHBOARD}/pack.xlsx`);
    expect(response.headers()['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await response.body()) as unknown as ArrayBuffer);
    const names = book.worksheets.map((sheet) => sheet.name);
    expect(names).toEqual(
      expect.arrayContaining(['Q2 position', 'By scheme type', 'Virements', 'Partners', 'Metrics']),
    );
    const position = book.getWorksheet('Q2 position');
    expect(position?.getCell('A1').value).toBe(
      'Hertfordshire Better Care Fund: quarterly position, 2017-18 Q2',
    );
    expect(String(position?.getCell('A6').value)).toMatch(
      /^Signed off: requested by officer, approved by cfo; digest [0-9a-f]{64}$/,
    );
    expect(position?.pageSetup).toMatchObject({
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      paperSize: 9,
    });
    expect(position?.pageSetup.printTitlesRow).toBe('8:8');
    const header = position?.getRow(8).values as unknown[];
    const ragColumn = header.indexOf('RAG');
    const fills = new Set<string>();
    position?.eachRow((row, rowNumber) => {
      if (rowNumber <= 8) return;
      const cell = row.getCell(ragColumn);
      const fill = cell.fill as { fgColor?: { argb?: string } } | undefined;
      if (cell.value === 'red') fills.add(`red:${fill?.fgColor?.argb}`);
      if (cell.value === 'amber') fills.add(`amber:${fill?.fgColor?.argb}`);
      if (cell.value === 'green') fills.add(`green:${fill?.fgColor?.argb}`);
    });
    expect([...fills].sort()).toEqual(['amber:FFFFDD00', 'green:FF00703C', 'red:FFD4351C']);
    expect(position?.getColumn(5).numFmt).toBe('£#,##0.00;[Red](£#,##0.00)');
    await context.close();
  });
});

describe.skipIf(chromiumPath === undefined)(`signing in${NO_BROWSER_REASON}`, () => {
  it('throttles a user name after ten wrong passwords, even for the right one', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (let attempt = 1; attempt <= 10; attempt++) {
      await page.goto(`${server.origin}/app/sign-in`);
      await page.fill('#userId', 'cfo-deputy');
      await page.fill('#password', `wrong password ${attempt}`);
      await page.click('button:text-is("Sign in")');
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'The user name or password is not right',
      );
    }
    await page.goto(`${server.origin}/app/sign-in`);
    await page.fill('#userId', 'cfo-deputy');
    await page.fill('#password', server.passwords['cfo-deputy'] ?? '');
    const refused = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.click('button:text-is("Sign in")');
    expect((await refused).status()).toBe(429);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Too many wrong passwords',
    );
    await context.close();
  });

  it('refuses a form posted without its CSRF token, and records nothing', async () => {
    const { context, page } = await signedIn('officer');
    const refused = await page.request.post(`${server.origin}/app/sign-out`, { form: {} });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('This form has expired');
    await page.goto(`${server.origin}/app`);
    expect(await page.locator('.ledger-signed-in').textContent()).toContain('officer');
    const forged = await page.request.post(`${server.origin}/app/sign-in`, {
      form: { userId: 'officer', password: server.passwords.officer ?? '', _csrf: 'forged' },
    });
    expect(forged.status()).toBe(403);
    await context.close();
  });

  it('signs a person out once their session has been idle past its timeout, and records it', async () => {
    const { context, page } = await signedIn('auditor');
    await page.goto(`${server.origin}/app/audit`);
    expect(page.url()).toBe(`${server.origin}/app/audit`);
    server.advance(31 * 60_000);
    await page.goto(`${server.origin}/app/audit`);
    expect(page.url()).toContain('/app/sign-in');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'You were signed out',
    );
    const trail = (await api('/audit?type=SignedOut.v1', 'auditor')) as {
      entries: { data: { userId: string; reason: string } }[];
    };
    expect(trail.entries.map((entry) => entry.data)).toContainEqual(
      expect.objectContaining({ userId: 'auditor', reason: 'idle-timeout' }),
    );
    await context.close();
  });
});

async function serious(page: Page, path: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${path}: ${violation.id} (${violation.nodes.length}) ${violation.help}`);
}

async function pdfText(pdf: Buffer) {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(pdf) }).promise;
  let text = '';
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
  }
  const first = await document.getPage(1);
  const [, , width = 0, height = 0] = first.view;
  return { pages: document.numPages, text, size: { width, height } };
}
