// The live short-name check: the tenants API's slug rule, and taken names.
import { describe, expect, it } from 'vitest';
import { slugAvailability } from './slug';

const taken = new Set(['kilimani-net']);
const isTaken = (slug: string) => taken.has(slug);

describe('slugAvailability', () => {
  it('answers available for a free, well-formed name, lower-cased', () => {
    expect(slugAvailability(' Rongai-WiFi ', isTaken)).toEqual({ slug: 'rongai-wifi', isAvailable: true });
  });

  it('answers taken for an existing ISP', () => {
    expect(slugAvailability('kilimani-net', isTaken)).toMatchObject({ isAvailable: false, reason: 'taken' });
  });

  it('answers invalid or reserved, with the rule, for a malformed or reserved name', () => {
    expect(slugAvailability('a', isTaken)).toMatchObject({
      isAvailable: false,
      reason: 'invalid',
      message: '3-40 lowercase letters, digits and dashes',
    });
    expect(slugAvailability('admin', isTaken)).toMatchObject({
      reason: 'reserved',
      message: 'this name is reserved',
    });
    expect(slugAvailability('x'.repeat(500), isTaken)).toMatchObject({ reason: 'invalid' });
  });
});
