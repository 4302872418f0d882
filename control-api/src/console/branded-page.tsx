// The frame of the pages an ISP's own customers see (captive portal, self-service account):
// phone-first, in the ISP's name, logo and colours; each kind of page brings its own styles.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { otherLanguage, type PageLanguage } from '../i18n/request-language';

export interface IspBranding {
  name: string;
  logo: string | null;
  /** Plain hex colours only: they are written into a <style> element. */
  primaryColor: string;
  accentColor: string;
}

/** The switch sits at the header's far end, in the header's own text colour. */
const LANGUAGE_SWITCH_STYLE = '.language-switch{margin-left:auto;color:inherit;font-size:.9rem}';

export function BrandedPage(props: {
  branding: IspBranding;
  /** `<html lang>` and the header's link to the other language (issue 14). */
  language: PageLanguage;
  title: string;
  /** The page kind's stylesheet; `--primary` and `--accent` hold the ISP's colours. */
  styles: string;
  /** Makes the browser reload the page (a pending payment follows itself without JavaScript). */
  refreshSeconds?: number | undefined;
  /** At the end of the header, after the ISP's name. */
  headerEnd?: Child;
  /** Between the header and the main content. */
  beforeMain?: Child;
  children: Child;
}) {
  const { branding } = props;
  return (
    <html lang={props.language.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
        <title>{`${props.title} · ${branding.name}`}</title>
        <style>
          {raw(
            `:root{--primary:${branding.primaryColor};--accent:${branding.accentColor}}${props.styles}${LANGUAGE_SWITCH_STYLE}`,
          )}
        </style>
      </head>
      <body>
        <header>
          {branding.logo ? <img src={branding.logo} alt="" /> : null}
          <h1>{branding.name}</h1>
          {props.headerEnd}
          <a
            class="language-switch"
            href={props.language.switchHref}
            hreflang={otherLanguage(props.language.language)}
          >
            {props.language.switchLabel}
          </a>
        </header>
        {props.beforeMain}
        <main>{props.children}</main>
      </body>
    </html>
  );
}
