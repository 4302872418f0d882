// The page frame of every console: theme, header with the brand, tabs, flash message, sign-out.
import type { Child } from 'hono/jsx';
import { otherLanguage, type PageLanguage, t } from '../i18n';
import { FlashBox, type FlashMessage } from './components';
import { CONFIRM_BEFORE_ACTING_SCRIPT, InlineScript } from './inline-script';
import { consoleCss } from './styles';

export interface NavItem {
  href: string;
  label: string;
}

/** What every console page needs besides its own content; built once per request by the route. */
export interface ConsoleShell {
  brandName: string;
  logo: string | null;
  /** `:root{--brand:…;--accent:…}` from themeCss. */
  themeCss: string;
  nav: NavItem[];
  currentPath: string;
  csrfToken: string;
  flash: FlashMessage | null;
  accountEmail: string | null;
  /** The ISP's Kiunga subscription needs attention (grace or read-only): shown above every page. */
  banner?: PlatformBanner | null;
}

export interface PlatformBanner {
  kind: 'grace' | 'restricted';
  text: string;
  /** Where to act on it (the Platform account page), or null for staff who cannot pay. */
  actionHref: string | null;
  actionLabel: string;
}

function PlatformBannerBox(props: { banner: PlatformBanner | null | undefined }) {
  const { banner } = props;
  if (!banner) return null;
  return (
    <div class={`banner ${banner.kind}`} role="alert" data-platform-banner={banner.kind}>
      {banner.text} {banner.actionHref ? <a href={banner.actionHref}>{banner.actionLabel}</a> : null}
    </div>
  );
}

function isCurrent(item: NavItem, currentPath: string, nav: NavItem[]): boolean {
  // The console home matches itself only; other tabs match their sub-pages too.
  const home = nav[0]?.href;
  if (item.href === home) return currentPath === home;
  return currentPath === item.href || currentPath.startsWith(`${item.href}/`);
}

/** A page; `language` (default English) is its `<html lang>` (the front door's pages are also in Swahili). */
export function Document(props: {
  title: string;
  themeCss: string;
  language?: 'en' | 'sw';
  children: Child;
}) {
  return (
    <html lang={props.language ?? 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{props.title}</title>
        <style dangerouslySetInnerHTML={{ __html: consoleCss + props.themeCss }} />
        <InlineScript source={CONFIRM_BEFORE_ACTING_SCRIPT} />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** A console page; `page` (the owner's payment pages) gives it a language other than English and the switch. */
export function Layout(props: { title: string; shell: ConsoleShell; page?: PageLanguage; children: Child }) {
  const { shell, page } = props;
  const language = page?.language ?? 'en';
  return (
    <Document title={`${props.title} · ${shell.brandName}`} themeCss={shell.themeCss} language={language}>
      <header class="top">
        {shell.logo ? <img src={shell.logo} alt="" /> : null}
        <span class="name" data-brand-name>
          {shell.brandName}
        </span>
        {page ? (
          <a href={page.switchHref} hreflang={otherLanguage(language)} data-language-switch>
            {page.switchLabel}
          </a>
        ) : null}
        <form method="post" action="/logout">
          <input type="hidden" name="_csrf" value={shell.csrfToken} />
          <button type="submit" title={shell.accountEmail ?? undefined}>
            {t(language, 'account.signOut')}
          </button>
        </form>
      </header>
      <nav class="tabs">
        {shell.nav.map((item) => (
          <a
            href={item.href}
            aria-current={isCurrent(item, shell.currentPath, shell.nav) ? 'page' : undefined}
          >
            {item.label}
          </a>
        ))}
      </nav>
      <main>
        <PlatformBannerBox banner={shell.banner} />
        <FlashBox flash={shell.flash} />
        {props.children}
      </main>
    </Document>
  );
}
