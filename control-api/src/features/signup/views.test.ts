// The landing and sign-up pages rendered to HTML as a browser gets them: prices from the tier catalogue,
// every field with its name, a path that needs no JavaScript, and the one script under the CSP nonce.
import { formatKsh } from '@kiunga/schemas';
import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../kernel/middleware/security-headers';
import {
  TIER1_MONTHLY_FEE_CENTS,
  TIER1_REGISTRATION_FEE_CENTS,
  TIER2_MONTHLY_FEE_CENTS,
  TIER2_REVENUE_THRESHOLD_CENTS,
} from '../../platform-billing/core/tiers';
import { LandingPage, maskedPhone, SignupPage, SignupVerifyPage, tierOffers } from './views';

function appWith(render: () => unknown) {
  const app = new Hono();
  app.use('*', contextStorage());
  app.use('*', securityHeaders({ publicUrl: 'http://127.0.0.1:8080' }));
  app.get('/page', (context) => context.html(`<!DOCTYPE html>${String(render())}`));
  return app;
}

async function page(render: () => unknown): Promise<{ html: string; nonce: string | undefined }> {
  const response = await appWith(render).request('/page');
  expect(response.status).toBe(200);
  const policy = response.headers.get('content-security-policy') ?? '';
  return { html: await response.text(), nonce: /script-src 'nonce-([^']+)'/.exec(policy)?.[1] };
}

const attributeOf = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
const tagsOf = (html: string, element: string) => html.match(new RegExp(`<${element}\\b[^>]*>`, 'g')) ?? [];

/** Every script is one of ours, carrying this response's nonce; no inline handlers anywhere. */
function expectCspCompatible(html: string, nonce: string | undefined): void {
  expect(nonce).toBeDefined();
  for (const script of tagsOf(html, 'script')) expect(attributeOf(script, 'nonce'), script).toBe(nonce);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).not.toMatch(/javascript:/i);
}

describe('LandingPage', () => {
  it('says what Kiunga does and offers the trial', async () => {
    const { html, nonce } = await page(() => LandingPage({}));
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1"/>');
    expect(html).toContain('What Kiunga does');
    expect(html).toContain('24-hour free trial');
    const trialLinks = tagsOf(html, 'a').filter((tag) => attributeOf(tag, 'href') === '/signup');
    expect(trialLinks.length).toBeGreaterThanOrEqual(2);
    expect(html).toMatch(/<a class="button" href="\/signup" data-start-trial="true">Start free trial<\/a>/);
    expect(html).toContain('href="/login"');
    expectCspCompatible(html, nonce);
  });

  it('prices both tiers from the tier catalogue', async () => {
    const { html } = await page(() => LandingPage({}));
    const tier1 = html.slice(html.indexOf('data-tier="tier1"'), html.indexOf('data-tier="tier2"'));
    expect(tier1).toContain(`${formatKsh(TIER1_REGISTRATION_FEE_CENTS)} registration`);
    expect(tier1).toContain(`${formatKsh(TIER1_MONTHLY_FEE_CENTS)} a month`);
    expect(tier1).toContain('you choose one');
    expect(html).toContain(`${formatKsh(TIER2_MONTHLY_FEE_CENTS)} a month`);
    expect(html).toContain(formatKsh(TIER2_REVENUE_THRESHOLD_CENTS));
    expect(tierOffers().map((offer) => offer.tier)).toEqual(['tier1', 'tier2']);
  });
});

describe('SignupPage', () => {
  it('posts every field the registration needs, with no JavaScript required', async () => {
    const { html, nonce } = await page(() => SignupPage({ csrfToken: 'csrf-1' }));
    const [form] = tagsOf(html, 'form');
    expect(attributeOf(form ?? '', 'method')).toBe('post');
    expect(attributeOf(form ?? '', 'action')).toBe('/signup');
    const names = tagsOf(html, 'input').map((tag) => attributeOf(tag, 'name'));
    for (const name of [
      '_csrf',
      'ispName',
      'slug',
      'ownerName',
      'phone',
      'email',
      'password',
      'tier',
      'featureChoice',
    ]) {
      expect(names, name).toContain(name);
    }
    const input = (name: string) =>
      tagsOf(html, 'input').find((tag) => attributeOf(tag, 'name') === name) ?? '';
    expect(attributeOf(input('phone'), 'type')).toBe('tel');
    expect(attributeOf(input('email'), 'type')).toBe('email');
    expect(attributeOf(input('password'), 'autocomplete')).toBe('new-password');
    expect(attributeOf(input('_csrf'), 'value')).toBe('csrf-1');
    // Tier 1 is chosen by default, with Hotspot; the Tier 1 choice hides by CSS alone when Tier 2 is picked.
    expect(html).toMatch(/<input type="radio" name="tier" id="tier-tier1" value="tier1" checked=""/);
    expect(html).toMatch(/name="featureChoice" value="hotspot" checked=""/);
    expect(html).toContain('form:has(#tier-tier2:checked) .tier1-only{display:none}');
    expect(html).toContain('PPPoE/Static');
    expectCspCompatible(html, nonce);
    expect(html).toContain("'/signup/slug-availability'".replace(/'/g, '"'));
  });

  it('checks the short name without JavaScript through a submit button that skips validation', async () => {
    const { html } = await page(() =>
      SignupPage({
        csrfToken: 'c',
        values: { ispName: 'Rongai WiFi', slug: 'kilimani-net' },
        slugAvailability: {
          slug: 'kilimani-net',
          isAvailable: false,
          reason: 'taken',
          message: 'already taken: try another',
        },
      }),
    );
    expect(html).toMatch(
      /<button type="submit" name="intent" value="check-slug" class="secondary" formnovalidate="">/,
    );
    expect(html).toContain('kilimani-net: already taken: try another');
    expect(html).toContain('value="Rongai WiFi"');
  });

  it('shows each refusal beside its field, keeps what was typed, never the password', async () => {
    const { html } = await page(() =>
      SignupPage({
        csrfToken: 'c',
        values: { email: 'owner@rongai.example', phone: '0712 345 678', tier: 'tier2' },
        errors: {
          phone: 'Enter a Kenyan mobile number such as 0712345678',
          password: 'must be at least 8 characters',
        },
      }),
    );
    expect(html).toContain(
      '<p class="field-error" id="phone-error" role="alert">Enter a Kenyan mobile number such as 0712345678</p>',
    );
    expect(html).toContain('aria-describedby="phone-error"');
    expect(html).toContain('value="owner@rongai.example"');
    expect(html).toMatch(/id="tier-tier2" value="tier2" checked=""/);
    const password = tagsOf(html, 'input').find((tag) => attributeOf(tag, 'name') === 'password') ?? '';
    expect(attributeOf(password, 'value')).toBeUndefined();
  });

  it('speaks Swahili when asked: html lang, labels, the live check words, a link back to English', async () => {
    const front = { language: 'sw' as const, switchHref: '/signup?lang=en', switchLabel: 'English' };
    const { html, nonce } = await page(() =>
      SignupPage({
        csrfToken: 'c',
        front,
        values: { slug: 'admin' },
        slugAvailability: {
          slug: 'admin',
          isAvailable: false,
          reason: 'reserved',
          message: 'this name is reserved',
        },
      }),
    );
    expect(html).toMatch(/^<!DOCTYPE html><html lang="sw">/);
    expect(html).toContain('<label for="ispName">Jina la ISP</label>');
    expect(html).toContain('admin: jina hili limehifadhiwa');
    expect(html).toContain('<a href="/signup?lang=en" hreflang="en" data-language-switch="true">English</a>');
    // The script says "available" in Swahili and asks the live check in the page's language.
    expect(html).toContain('"{slug} linapatikana"');
    expect(html).toContain("'?lang=sw&slug='");
    expect(html).toContain(`<b>Kiwango cha 1</b>: ${formatKsh(TIER1_REGISTRATION_FEE_CENTS)} za usajili`);
    expectCspCompatible(html, nonce);
  });

  it('escapes what a person typed', async () => {
    const { html } = await page(() =>
      SignupPage({ csrfToken: 'c', values: { ispName: '"><script>alert(1)</script>' } }),
    );
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });
});

describe('SignupVerifyPage', () => {
  it('asks for the SMS code and the email link, and marks what is done', async () => {
    const { html, nonce } = await page(() =>
      SignupVerifyPage({
        csrfToken: 'c',
        phone: '254712345678',
        email: 'owner@rongai.example',
        verification: { phone: 'pending', email: 'verified' },
      }),
    );
    expect(html).toContain('Type the 6-digit code we sent to •••••••••678.');
    expect(html).not.toContain('254712345678');
    expect(html).toMatch(/<form method="post" action="\/signup\/verify-phone" class="card">/);
    expect(html).toContain('autocomplete="one-time-code"');
    expect(html).toContain('Email confirmed.');
    expectCspCompatible(html, nonce);
    expect(maskedPhone('0712 345 678')).toBe('•••••••678');
  });
});
