import { describe, expect, it } from 'vitest';
import {
  callbackUrlProblem,
  DARAJA_FILTERED_URL_WORDS,
  describeCallbackUrlProblem,
  filteredWordIn,
  isLoopbackBaseUrl,
} from './callback-urls';

const REAL_DARAJA = 'https://api.safaricom.co.ke';
const SIMULATOR = 'http://127.0.0.1:8089';

describe('filteredWordIn', () => {
  it.each(DARAJA_FILTERED_URL_WORDS.map((word) => [word]))('finds "%s" in any case', (word) => {
    const mixed = [...word]
      .map((letter, index) => (index % 2 === 0 ? letter.toUpperCase() : letter))
      .join('');
    expect(filteredWordIn(`https://isp.example/cb/${mixed}/x`)).not.toBeNull();
  });

  it('finds words across the host too, and passes clean URLs', () => {
    expect(filteredWordIn('https://mpesa-billing.example/cb')).toBe('mpesa');
    expect(filteredWordIn('https://isp.example/callbacks/mm/74656e5f/0af3/stk')).toBeNull();
  });
});

describe('callbackUrlProblem', () => {
  it('holds the real Daraja to https and a public host', () => {
    expect(callbackUrlProblem('http://isp.example/cb', REAL_DARAJA)).toEqual({
      reason: 'insecure',
      origin: 'http://isp.example',
    });
    expect(callbackUrlProblem('https://localhost:8443/cb', REAL_DARAJA)).toMatchObject({
      reason: 'unreachable',
    });
    expect(callbackUrlProblem('https://isp.example/cb', REAL_DARAJA)).toBeNull();
  });

  it('lets a simulator on loopback take plain http, never a filtered word', () => {
    expect(isLoopbackBaseUrl(SIMULATOR)).toBe(true);
    expect(isLoopbackBaseUrl('http://[::1]:8089')).toBe(true);
    expect(isLoopbackBaseUrl(REAL_DARAJA)).toBe(false);
    expect(callbackUrlProblem('http://127.0.0.1:8080/cb', SIMULATOR)).toBeNull();
    expect(callbackUrlProblem('http://127.0.0.1:8080/SQL/cb', SIMULATOR)).toEqual({
      reason: 'filtered_word',
      word: 'sql',
    });
  });

  it('tells the operator to set an https KIUNGA_PUBLIC_URL, naming the origin and never the path', () => {
    const problem = callbackUrlProblem(
      'http://isp.example:8080/callbacks/mm/ab12/secret-token/stk',
      REAL_DARAJA,
    );
    expect(problem).not.toBeNull();
    const message = describeCallbackUrlProblem(problem!);
    expect(message).toContain('KIUNGA_PUBLIC_URL');
    expect(message).toContain('https');
    expect(message).toContain('http://isp.example:8080');
    expect(message).not.toContain('secret-token');
  });
});
