// /api/v1/branding in process: read the defaults, set name, colours and logo, the validation
// errors, and ISP B's change never touching ISP A's branding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, type TwoIspApp } from '../../kernel/testing/in-process-app';

interface BrandingBody {
  displayName: string | null;
  primaryColor: string;
  accentColor: string;
  logo: string | null;
}

let testApp: TwoIspApp;

beforeAll(async () => {
  testApp = await openTwoIspApp();
});

afterAll(async () => {
  await testApp?.close();
});

describe('branding API', () => {
  it('sets the display name, colours and logo, and reads them back', async () => {
    const before = (await (await testApp.ispA.request('GET', '/api/v1/branding')).json()) as BrandingBody;
    expect(before.displayName).toBeNull();
    const saved = await testApp.ispA.request('PATCH', '/api/v1/branding', {
      displayName: 'Kilimani Net',
      primaryColor: '#0a7d3b',
      accentColor: '#f5a623',
      logo: 'https://example.test/logo.png',
    });
    expect(saved.status).toBe(200);
    const read = (await (await testApp.ispA.request('GET', '/api/v1/branding')).json()) as BrandingBody;
    expect(read).toMatchObject({
      displayName: 'Kilimani Net',
      primaryColor: '#0a7d3b',
      accentColor: '#f5a623',
      logo: 'https://example.test/logo.png',
    });
  });

  it('refuses a colour that is not #rrggbb with validation_failed', async () => {
    const badColour = await testApp.ispA.request('PATCH', '/api/v1/branding', { primaryColor: 'green' });
    expect(badColour.status).toBe(400);
    expect(((await badColour.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it("keeps each ISP's branding its own: B's change leaves A's as it was", async () => {
    const changed = await testApp.ispB.request('PATCH', '/api/v1/branding', { displayName: 'Other ISP' });
    expect(changed.status).toBe(200);
    const ofA = (await (await testApp.ispA.request('GET', '/api/v1/branding')).json()) as BrandingBody;
    expect(ofA.displayName).toBe('Kilimani Net');
    const ofB = (await (await testApp.ispB.request('GET', '/api/v1/branding')).json()) as BrandingBody;
    expect(ofB).toMatchObject({ displayName: 'Other ISP', logo: null });
  });
});
