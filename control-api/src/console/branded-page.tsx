// The frame of the pages an ISP's own customers see (captive portal, self-service account):
// phone-first, in the ISP's name, logo and colours; each kind of page brings its own styles.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export interface IspBranding {
  name: string;
  logo: string | null;
  /** Plain hex colours only: they are written into a <style> element. */
  primaryColor: string;
  accentColor: string;
}

export function BrandedPage(props: {
  branding: IspBranding;
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
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
        <title>{`${props.title} · ${branding.name}`}</title>
        <style>
          {raw(`:root{--primary:${branding.primaryColor};--accent:${branding.accentColor}}${props.styles}`)}
        </style>
      </head>
      <body>
        <header>
          {branding.logo ? <img src={branding.logo} alt="" /> : null}
          <h1>{branding.name}</h1>
          {props.headerEnd}
        </header>
        {props.beforeMain}
        <main>{props.children}</main>
      </body>
    </html>
  );
}
