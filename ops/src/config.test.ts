import { describe, expect, it } from 'vitest';
import { ConfigError, METRICS_TOKEN_LENGTH_MIN, readConfig } from './config';

describe('KIUNGA_METRICS_TOKEN', () => {
  it('is off (null) when unset, and taken as given when long enough', () => {
    expect(readConfig({}).metricsToken).toBeNull();
    const token = 'a'.repeat(METRICS_TOKEN_LENGTH_MIN);
    expect(readConfig({ KIUNGA_METRICS_TOKEN: token }).metricsToken).toBe(token);
  });

  it('refuses a short token or one that cannot travel in a Bearer header, naming the variable', () => {
    for (const token of ['', 'short', `${'a'.repeat(METRICS_TOKEN_LENGTH_MIN)} b`, 'ä'.repeat(40)]) {
      expect(() => readConfig({ KIUNGA_METRICS_TOKEN: token })).toThrow(ConfigError);
      expect(() => readConfig({ KIUNGA_METRICS_TOKEN: token })).toThrow(/KIUNGA_METRICS_TOKEN/);
    }
  });
});
