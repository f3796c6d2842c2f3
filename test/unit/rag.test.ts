import { describe, expect, it } from 'vitest';
import { Money } from '#money';
import {
  budgetToDate,
  DEFAULT_RAG_THRESHOLDS,
  rag,
} from '../../src/projections/reports/figures.ts';
import { emptyYearView } from '../../src/projections/view/pool-view.ts';
import { line } from '../../src/projections/view/year-view-parts.ts';

describe('RAG of a scheme line', () => {
  /** Budget 1,000.00, 500.00 of it due by now: forecast and spend to date as given. */
  const of = (
    spendToDate: string,
    forecast: string,
    thresholds = DEFAULT_RAG_THRESHOLDS,
    budget = '1000.00',
    dueByNow = '500.00',
  ) =>
    rag(
      {
        budget: Money.parse(budget),
        budgetToDate: Money.parse(dueByNow),
        spendToDate: Money.parse(spendToDate),
        spent: Money.parse(spendToDate),
        forecast: Money.parse(forecast),
      },
      thresholds,
    );

  it('is green on profile and on budget, and within the slippage allowed', () => {
    expect(of('500.00', '1000.00')).toBe('green');
    expect(of('450.00', '900.00')).toBe('green');
  });

  it('is amber when the forecast is over budget, or spend ahead of profile, up to the red threshold', () => {
    expect(of('500.00', '1000.01')).toBe('amber');
    expect(of('500.00', '1050.00')).toBe('amber');
    expect(of('525.00', '1000.00')).toBe('amber');
  });

  it('is red beyond the red threshold, when spend already exceeds budget, or over a zero budget', () => {
    expect(of('500.00', '1050.01')).toBe('red');
    expect(of('525.01', '1000.00')).toBe('red');
    expect(of('1000.01', '1000.00')).toBe('red');
    expect(of('0.00', '0.01', DEFAULT_RAG_THRESHOLDS, '0.00', '0.00')).toBe('red');
  });

  it('counts slippage: amber beyond 10% under, red beyond 25% under (forecast or to date)', () => {
    expect(of('500.00', '899.99')).toBe('amber');
    expect(of('500.00', '749.99')).toBe('red');
    expect(of('449.99', '1000.00')).toBe('amber');
    expect(of('374.99', '1000.00')).toBe('red');
  });

  it('is red when the whole year’s spend so far exceeds the budget, a later quarter’s included', () => {
    const figures = {
      budget: Money.parse('1000.00'),
      budgetToDate: Money.parse('500.00'),
      spendToDate: Money.parse('500.00'),
      forecast: Money.parse('1000.00'),
    };
    expect(rag({ ...figures, spent: Money.parse('1000.00') }, DEFAULT_RAG_THRESHOLDS)).toBe(
      'green',
    );
    expect(rag({ ...figures, spent: Money.parse('1000.01') }, DEFAULT_RAG_THRESHOLDS)).toBe('red');
  });

  it('follows the pool’s thresholds', () => {
    const pool = {
      amberAbovePercent: '2.00',
      redAbovePercent: '10.00',
      amberBelowPercent: '5.00',
      redBelowPercent: '50.00',
    };
    expect(of('500.00', '1020.00', pool)).toBe('green');
    expect(of('500.00', '1020.01', pool)).toBe('amber');
    expect(of('500.00', '949.99', pool)).toBe('amber');
    expect(of('500.00', '600.00', pool)).toBe('amber');
    expect(of('500.00', '499.99', pool)).toBe('red');
  });
});

describe('budget to date', () => {
  it('spreads the budget over equal quarters until a profile is set, to the penny', () => {
    const year = emptyYearView('2017-18');
    const figures = line(year, '1', 'iBCF', 'Q1');
    figures.originalByQuarter.Q1 = '1000.01';
    expect(budgetToDate(figures, 'Q1').toString()).toBe('250.01');
    expect(budgetToDate(figures, 'Q3').toString()).toBe('750.01');
    expect(budgetToDate(figures, 'Q4').toString()).toBe('1000.01');
  });

  it('follows the profile in force at the quarter, and the budget as it stood then', () => {
    const year = emptyYearView('2017-18');
    const figures = line(year, '1', 'iBCF', 'Q1');
    figures.originalByQuarter.Q1 = '1000.00';
    figures.profileByQuarter.Q1 = { Q1: '10', Q2: '20', Q3: '30', Q4: '40' };
    figures.supplementaryByQuarter.Q2 = '1000.00';
    figures.profileByQuarter.Q3 = { Q1: '0', Q2: '0', Q3: '50', Q4: '50' };
    expect(budgetToDate(figures, 'Q1').toString()).toBe('100.00');
    expect(budgetToDate(figures, 'Q2').toString()).toBe('600.00');
    expect(budgetToDate(figures, 'Q3').toString()).toBe('1000.00');
    expect(budgetToDate(figures, 'Q4').toString()).toBe('2000.00');
  });
});
