import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { filteredWordIn } from '../integrations/mpesa/index';
import {
  callbackUrls,
  isPlatformCallbackTokenValid,
  platformStkCallbackUrl,
  tenantOfCallback,
  tenantPathSegment,
} from './callback-addresses';

/** Tenant ids and keys drawn from a seeded generator: the same "random" ids on every run. */
function seededBytes(seed: number): (length: number) => Buffer {
  let state = seed >>> 0;
  return (length) => {
    const bytes = Buffer.alloc(length);
    for (let index = 0; index < length; index += 1) {
      // mulberry32
      state = (state + 0x6d2b79f5) >>> 0;
      let value = state;
      value = Math.imul(value ^ (value >>> 15), value | 1);
      value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
      bytes[index] = ((value ^ (value >>> 14)) >>> 0) & 0xff;
    }
    return bytes;
  };
}

/** As ids.ts makes them: `ten_` + 12 random bytes in base64url. */
const TENANT_ID_RANDOM_BYTES = 12;
const SAMPLE_SIZE = 20_000;
const PUBLIC_URL = 'https://isp-platform.example.co.ke';

function sample() {
  const next = seededBytes(20_261_205);
  return Array.from({ length: SAMPLE_SIZE }, () => ({
    tenantId: `ten_${next(TENANT_ID_RANDOM_BYTES).toString('base64url')}`,
    dependencies: { publicUrl: PUBLIC_URL, tokenKey: next(32) },
  }));
}

/** The URL form handed out before: the raw tenant id and a base64url token. */
function legacyUrl(tenantId: string, tokenKey: Uint8Array): string {
  const token = createHmac('sha256', tokenKey)
    .update(`mpesa-callback:${tenantId}`)
    .digest('base64url')
    .slice(0, 32);
  return `${PUBLIC_URL}/callbacks/mm/${tenantId}/${token}/c2b/confirmation`;
}

describe('callback URLs', () => {
  it(`never hold a word Daraja filters, over ${SAMPLE_SIZE} random tenant ids and keys`, () => {
    const filtered: string[] = [];
    for (const { tenantId, dependencies } of sample()) {
      const urls = callbackUrls(dependencies, tenantId);
      for (const url of [
        urls.stk,
        urls.c2bValidation,
        urls.c2bConfirmation,
        platformStkCallbackUrl(dependencies),
      ]) {
        if (filteredWordIn(url) !== null) filtered.push(url);
      }
    }
    expect(filtered).toEqual([]);
  });

  it('where the base64url form handed out before was filtered for some of the same ids', () => {
    const filtered = sample().filter(
      ({ tenantId, dependencies }) => filteredWordIn(legacyUrl(tenantId, dependencies.tokenKey)) !== null,
    );
    // About 1 in 250 (the figure); the seeded sample is the same on every run.
    expect(filtered.length).toBeGreaterThan(SAMPLE_SIZE / 1000);
  });

  it('lead back to their tenant, in the hex form and the legacy one, and to no other', () => {
    const [first, second] = sample();
    const { tenantId, dependencies } = first!;
    const stk = new URL(callbackUrls(dependencies, tenantId).stk);
    const [, , , segment, token] = stk.pathname.split('/');
    expect(segment).toBe(tenantPathSegment(tenantId));
    expect(segment).toMatch(/^[0-9a-f]+$/);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(tenantOfCallback(dependencies, segment!, token!)).toBe(tenantId);
    const legacy = new URL(legacyUrl(tenantId, dependencies.tokenKey)).pathname.split('/');
    expect(tenantOfCallback(dependencies, legacy[3]!, legacy[4]!)).toBe(tenantId);
    expect(tenantOfCallback(dependencies, tenantPathSegment(second!.tenantId), token!)).toBeNull();
    expect(tenantOfCallback(second!.dependencies, segment!, token!)).toBeNull();
    const wrongToken = `${token!.slice(0, -1)}${token!.endsWith('0') ? '1' : '0'}`;
    expect(tenantOfCallback(dependencies, segment!, wrongToken)).toBeNull();
    expect(tenantOfCallback(dependencies, 'zz', token!)).toBeNull();
  });

  it("keep the platform's token checkable in both forms", () => {
    const { dependencies } = sample()[0]!;
    const token = new URL(platformStkCallbackUrl(dependencies)).pathname.split('/')[4]!;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(isPlatformCallbackTokenValid(dependencies, token)).toBe(true);
    const legacy = createHmac('sha256', dependencies.tokenKey)
      .update('platform-mpesa-callback')
      .digest('base64url')
      .slice(0, 32);
    expect(isPlatformCallbackTokenValid(dependencies, legacy)).toBe(true);
    expect(isPlatformCallbackTokenValid(dependencies, 'f'.repeat(32))).toBe(false);
  });
});
