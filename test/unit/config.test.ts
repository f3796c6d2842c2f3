import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has visible defaults', () => {
    expect(loadConfig({})).toEqual({
      dataDirectory: 'data',
      ragThresholds: { amberAbovePercent: '0.00', redAbovePercent: '5.00' },
    });
  });

  it('reads RAG thresholds from the environment', () => {
    expect(
      loadConfig({ LEDGER_RAG_AMBER_ABOVE_PERCENT: '1', LEDGER_RAG_RED_ABOVE_PERCENT: '10.5' })
        .ragThresholds,
    ).toEqual({
      amberAbovePercent: '1',
      redAbovePercent: '10.5',
    });
  });

  it('refuses a threshold that is not a percentage, naming the setting', () => {
    expect(() => loadConfig({ LEDGER_RAG_RED_ABOVE_PERCENT: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ LEDGER_RAG_RED_ABOVE_PERCENT: 'lots' })).toThrow(
      'LEDGER_RAG_RED_ABOVE_PERCENT',
    );
  });
});
