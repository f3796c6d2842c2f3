import { describe, expect, it } from 'vitest';
import { Money } from '#money';
import { DEFAULT_RAG_THRESHOLDS, rag } from '../../src/projections/reports/figures.ts';

describe('RAG of a scheme line', () => {
  const of = (
    budget: string,
    spent: string,
    forecast: string,
    thresholds = DEFAULT_RAG_THRESHOLDS,
  ) => rag(Money.parse(budget), Money.parse(spent), Money.parse(forecast), thresholds);

  it('is green on or under budget', () => {
    expect(of('1000.00', '500.00', '1000.00')).toBe('green');
    expect(of('1000.00', '500.00', '900.00')).toBe('green');
  });

  it('is amber when the forecast is over budget by up to the red threshold', () => {
    expect(of('1000.00', '500.00', '1000.01')).toBe('amber');
    expect(of('1000.00', '500.00', '1050.00')).toBe('amber');
  });

  it('is red beyond the red threshold, when spend already exceeds budget, or over a zero budget', () => {
    expect(of('1000.00', '500.00', '1050.01')).toBe('red');
    expect(of('1000.00', '1000.01', '1000.00')).toBe('red');
    expect(of('0.00', '0.00', '0.01')).toBe('red');
  });

  it('follows configured thresholds', () => {
    expect(
      of('1000.00', '500.00', '1020.00', { amberAbovePercent: '2.00', redAbovePercent: '10.00' }),
    ).toBe('green');
    expect(
      of('1000.00', '500.00', '1020.01', { amberAbovePercent: '2.00', redAbovePercent: '10.00' }),
    ).toBe('amber');
  });
});
