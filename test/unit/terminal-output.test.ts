import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/cli-kit.ts';

describe('terminal output', () => {
  it('makes escapes, bells, carriage returns and direction overrides visible', () => {
    expect(terminalSafe('\u001b[31mred\u0007')).toBe('\\u{1b}[31mred\\u{7}');
    expect(terminalSafe('approved\rrejected')).toBe('approved\\u{d}rejected');
    expect(terminalSafe('abc\u202edcba')).toBe('abc\\u{202e}dcba');
    expect(terminalSafe('\u0000\u009b')).toBe('\\u{0}\\u{9b}');
  });

  it('leaves the tabs, line feeds and CSV line ends that lay out its output, and ordinary text', () => {
    const table = 'ops-admin\tadmin\t*\nofficer\tfinance-officer\therts\n';
    expect(terminalSafe(table)).toBe(table);
    expect(terminalSafe('a,b\r\n1,2\r\n')).toBe('a,b\r\n1,2\r\n');
    expect(terminalSafe('Café £1,250.00 — ümlaut')).toBe('Café £1,250.00 — ümlaut');
  });
});
