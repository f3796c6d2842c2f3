import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Money } from '#money';
import type { ShareProfile, YearEndTerms } from '../../src/events/catalogue/index.ts';
import {
  applyWaterfall,
  type WaterfallInput,
  type WaterfallResult,
} from '../../src/rules/waterfall.ts';

/**
 * The worked examples of docs/domain.md ("The year end"): the same pool under seven sets of
 * terms, one for each share profile, underspend treatment and way of treating unallocated money.
 * The expected figures are read from the document's table, worked there by hand.
 */
const MIN = 'Minimum CCG';
const LA_STREAM = 'Additional LA';
const DFG = 'DFG';
const money = Money.parse;

const pool: Omit<WaterfallInput, 'terms'> = {
  partners: [
    { partnerId: 'LA', kind: 'Local Authority' },
    { partnerId: 'CCG-A', kind: 'CCG' },
    { partnerId: 'CCG-B', kind: 'CCG' },
  ],
  hostPartnerId: 'LA',
  contributions: new Map([
    [
      'LA',
      new Map([
        [LA_STREAM, money('500000.00')],
        [DFG, money('100000.00')],
      ]),
    ],
    ['CCG-A', new Map([[MIN, money('600000.00')]])],
    ['CCG-B', new Map([[MIN, money('400000.00')]])],
  ]),
  streams: [
    {
      fundingStream: MIN,
      capital: false,
      contributions: money('1000000.00'),
      allocated: money('900000.00'),
    },
    {
      fundingStream: LA_STREAM,
      capital: false,
      contributions: money('500000.00'),
      allocated: money('500000.00'),
    },
    {
      fundingStream: DFG,
      capital: true,
      contributions: money('100000.00'),
      allocated: money('100000.00'),
    },
  ],
  lines: [
    line('1', MIN, 'Local Authority', '500000.00', '580000.00'),
    {
      ...line('2', MIN, 'Joint', '400000.00', '380000.00'),
      nhsPercentage: '50',
      laPercentage: '50',
    },
    line('3', LA_STREAM, 'Local Authority', '400000.00', '440000.00'),
    line('4', LA_STREAM, 'Local Authority', '100000.00', '60000.00'),
    line('5', DFG, 'Local Authority', '100000.00', '70000.00'),
  ],
};

function line(
  schemeId: string,
  fundingStream: string,
  commissioner: string,
  budget: string,
  outturn: string,
) {
  return {
    schemeId,
    fundingStream,
    commissioner,
    budget: money(budget),
    expenditure: money(outturn),
  };
}

const OFFSET_THEN_SHARE: YearEndTerms['steps'] = ['offset-within-kind', 'share-overspend'];

function terms(overrides: Partial<YearEndTerms>): YearEndTerms {
  return {
    steps: OFFSET_THEN_SHARE,
    defaultProfile: { kind: 'commissioner' },
    lineProfiles: [],
    defaultUnderspend: 'carry-forward',
    underspend: [],
    unallocated: 'return-to-contributors',
    ...overrides,
  };
}

const fixedOnLine1: ShareProfile = {
  kind: 'fixed',
  shares: [
    { partnerId: 'LA', percentage: '25' },
    { partnerId: 'CCG-A', percentage: '50' },
    { partnerId: 'CCG-B', percentage: '25' },
  ],
};

const EXAMPLES: Record<string, YearEndTerms> = {
  A: terms({}),
  B: terms({
    steps: ['share-overspend'],
    defaultUnderspend: 'return-pro-rata',
    underspend: [{ fundingStream: DFG, treatment: 'carry-forward' }],
  }),
  C: terms({ defaultProfile: { kind: 'contributions' }, unallocated: 'carry-forward' }),
  D: terms({ defaultProfile: { kind: 'stream-contributors' } }),
  E: terms({
    defaultProfile: { kind: 'host' },
    lineProfiles: [{ schemeId: '1', fundingStream: MIN, profile: fixedOnLine1 }],
  }),
  F: terms({
    steps: ['share-overspend'],
    defaultUnderspend: 'return-to-commissioner',
    underspend: [{ fundingStream: DFG, treatment: 'carry-forward' }],
  }),
  G: terms({
    steps: ['contingency', 'share-overspend'],
    contingency: { schemeId: '4', fundingStream: LA_STREAM },
  }),
};

/** The rows of the document's table of worked examples, amounts as written there. */
function documentedExamples(): Map<string, string[]> {
  const document = readFileSync(join(import.meta.dirname, '../../docs/domain.md'), 'utf8');
  const section = document.slice(document.indexOf('### Worked examples'));
  const rows = section
    .split('\n')
    .filter((row) => /^\| [A-Z] \|/.test(row))
    .map((row) =>
      row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  return new Map(rows.map(([example = '', ...amounts]) => [example, amounts.map(unformatted)]));
}

function unformatted(written: string): string {
  return written.replaceAll(',', '');
}

function outcome(result: WaterfallResult): string[] {
  const carried = Money.sum(result.carryForward.map((entry) => entry.amount));
  return [...result.shares.map((share) => share.amount.toString()), carried.toString()];
}

function applied(example: string): WaterfallResult {
  const waterfall = applyWaterfall({ ...pool, terms: EXAMPLES[example] ?? terms({}) });
  if (!waterfall.ok) throw new Error(waterfall.problem);
  return waterfall.result;
}

describe('the worked examples of docs/domain.md, one per share profile and underspend treatment', () => {
  const documented = documentedExamples();

  it('documents every example the test applies, and only those', () => {
    expect([...documented.keys()]).toEqual(Object.keys(EXAMPLES));
  });

  for (const example of Object.keys(EXAMPLES)) {
    it(`gives example ${example}'s shares and carry-forward, to the penny`, () => {
      const result = applied(example);
      expect(result.net.toString()).toBe('70000.00');
      expect(outcome(result)).toEqual(documented.get(example));
    });
  }

  it('offsets revenue with revenue only: the DFG underspend meets no revenue overspend (A)', () => {
    const { offsets, underspends } = applied('A');
    expect(offsets.map((offset) => [offset.kind, offset.offset.toString()])).toEqual([
      ['revenue', '60000.00'],
    ]);
    expect(offsets[0]?.overspendMet.map((each) => [each.schemeId, each.amount.toString()])).toEqual(
      [
        ['1', '40000.00'],
        ['3', '20000.00'],
      ],
    );
    expect(
      underspends.find((stream) => stream.fundingStream === DFG)?.carriedForward.toString(),
    ).toBe('30000.00');
  });

  it('splits a joint line by its percentages before returning its underspend to the commissioner (F)', () => {
    const minimum = applied('F').underspends.find((stream) => stream.fundingStream === MIN);
    expect(minimum?.returned.map((share) => [share.partnerId, share.amount.toString()])).toEqual([
      ['LA', '10000.00'],
      ['CCG-A', '66000.00'],
      ['CCG-B', '44000.00'],
    ]);
  });

  it('uses the contingency in proportion, the spare penny to the larger remainder (G)', () => {
    const { contingency, overspends } = applied('G');
    expect(contingency?.used.toString()).toBe('40000.00');
    expect(
      contingency?.overspendMet.map((each) => [each.schemeId, each.amount.toString()]),
    ).toEqual([
      ['1', '26666.67'],
      ['3', '13333.33'],
    ]);
    expect(overspends.map((each) => [each.schemeId, each.overspend.toString()])).toEqual([
      ['1', '53333.33'],
      ['3', '26666.67'],
    ]);
  });

  it('refuses terms it cannot apply, saying why', () => {
    const noReserve = applyWaterfall({
      ...pool,
      terms: terms({ steps: ['contingency', 'share-overspend'] }),
    });
    expect(noReserve).toEqual({
      ok: false,
      problem: 'the `contingency` step needs the contingency line',
    });
    const nobody = applyWaterfall({
      ...pool,
      terms: terms({
        lineProfiles: [
          { schemeId: '3', fundingStream: LA_STREAM, profile: { kind: 'commissioner' } },
        ],
      }),
      lines: pool.lines.map((each) =>
        each.schemeId === '3' ? { ...each, commissioner: 'Provider' } : each,
      ),
    });
    expect(nobody).toEqual({
      ok: false,
      problem:
        'scheme "3" is commissioned by "Provider", which names no partners to bear its share',
    });
  });
});
