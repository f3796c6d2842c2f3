import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerSettingNames, loadConfig, settingsTable } from '../../src/config.ts';

describe('configuration', () => {
  it('has visible defaults', () => {
    expect(loadConfig({})).toMatchObject({
      dataDirectory: 'data',
      host: '127.0.0.1',
      port: 3000,
      limits: { bodyLimitBytes: 1_048_576, rateLimitPerMinute: 6_000, requestTimeoutMs: 30_000 },
      readyMaxLag: 1_000,
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

  it('reads limits as whole numbers within bounds', () => {
    expect(loadConfig({ LEDGER_PORT: '8080', LEDGER_BODY_LIMIT_BYTES: '2048' })).toMatchObject({
      port: 8080,
      limits: { bodyLimitBytes: 2048 },
    });
    expect(() => loadConfig({ LEDGER_PORT: '70000' })).toThrow('LEDGER_PORT');
  });
});

describe('the settings documentation', () => {
  it('is the table made from the settings schema, every setting in it', () => {
    const written = readFileSync(join(import.meta.dirname, '../../docs/settings.md'), 'utf8');
    expect(written).toBe(settingsTable());
    for (const name of ledgerSettingNames) expect(written).toContain(`| \`${name}\` |`);
  });
});
