import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ledgerSettingNames, loadConfig, settingsTable } from '../../src/config.ts';

describe('configuration', () => {
  it('has visible defaults', () => {
    expect(loadConfig({})).toMatchObject({
      dataDirectory: 'data',
      host: '127.0.0.1',
      port: 3000,
      limits: { bodyLimitBytes: 1_048_576, rateLimitPerMinute: 6_000, requestTimeoutMs: 30_000 },
      readyMaxLag: 1_000,
      ragThresholds: { amberAbovePercent: '0.00', redAbovePercent: '5.00' },
    });
  });

  it('reads limits as whole numbers within bounds', () => {
    expect(loadConfig({ LEDGER_PORT: '8080', LEDGER_BODY_LIMIT_BYTES: '2048' })).toMatchObject({
      port: 8080,
      limits: { bodyLimitBytes: 2048 },
    });
    expect(() => loadConfig({ LEDGER_PORT: '70000' })).toThrow('LEDGER_PORT');
  });

  it('reads trusted proxies as addresses and CIDR ranges, refusing anything else', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(
      loadConfig({ LEDGER_TRUSTED_PROXIES: '10.0.0.5, 10.1.0.0/16,fd00::/8' }).trustedProxies,
    ).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8']);
    for (const wrong of ['proxy.local', '10.0.0.0/33', '10.0.0.1/8/8', '*'])
      expect(() => loadConfig({ LEDGER_TRUSTED_PROXIES: wrong }), wrong).toThrow(
        'LEDGER_TRUSTED_PROXIES',
      );
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

  it('reads limits as whole numbers within bounds', () => {
    expect(loadConfig({ LEDGER_PORT: '8080', LEDGER_BODY_LIMIT_BYTES: '2048' })).toMatchObject({
      port: 8080,
      limits: { bodyLimitBytes: 2048 },
    });
    expect(() => loadConfig({ LEDGER_PORT: '70000' })).toThrow('LEDGER_PORT');
  });

  it('refuses a threshold that is not a percentage, naming the setting', () => {
    expect(() => loadConfig({ LEDGER_RAG_RED_ABOVE_PERCENT: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ LEDGER_RAG_RED_ABOVE_PERCENT: 'lots' })).toThrow(
      'LEDGER_RAG_RED_ABOVE_PERCENT',
    );
  });
});

describe('the settings documentation', () => {
  it('is the table made from the settings schema, every setting in it', () => {
    const written = readFileSync(join(import.meta.dirname, '../../docs/settings.md'), 'utf8');
    expect(written).toBe(settingsTable());
    for (const name of ledgerSettingNames) expect(written).toContain(`| \`${name}\` |`);
  });
});
