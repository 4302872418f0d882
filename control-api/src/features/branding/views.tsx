// ISP console: white labelling — the name, logo and colours of the console, panel and portal.
import type { Branding } from '@kiunga/schemas';
import { CsrfField } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { DEFAULT_ACCENT_COLOR, DEFAULT_PRIMARY_COLOR, safeColour } from '../../console/styles';

export function BrandingPage(props: { shell: ConsoleShell; branding: Branding; ispName: string }) {
  const { branding } = props;
  return (
    <Layout title="Branding" shell={props.shell}>
      <h1>Branding</h1>
      <p class="muted">Your console, technician panel and captive portal use these.</p>
      <form method="post" action="/isp/branding" enctype="multipart/form-data" class="card">
        <CsrfField token={props.shell.csrfToken} />
        <label for="displayName">Display name</label>
        <input
          id="displayName"
          name="displayName"
          maxlength={80}
          value={branding.displayName ?? ''}
          placeholder={props.ispName}
        />
        <div class="row">
          <div>
            <label for="primaryColor">Main colour</label>
            <input
              id="primaryColor"
              name="primaryColor"
              type="color"
              value={safeColour(branding.primaryColor, DEFAULT_PRIMARY_COLOR)}
            />
          </div>
          <div>
            <label for="accentColor">Accent colour</label>
            <input
              id="accentColor"
              name="accentColor"
              type="color"
              value={safeColour(branding.accentColor, DEFAULT_ACCENT_COLOR)}
            />
          </div>
        </div>
        <label for="logoFile">Logo (PNG, JPEG, GIF, WebP or SVG; at most 190 KB)</label>
        <input
          id="logoFile"
          name="logoFile"
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp,image/svg+xml"
        />
        <label for="logoUrl">…or a logo URL</label>
        <input
          id="logoUrl"
          name="logoUrl"
          type="url"
          value={branding.logo?.startsWith('http') ? branding.logo : ''}
        />
        {branding.logo ? (
          <label>
            <input type="checkbox" name="removeLogo" value="true" /> Remove the current logo
          </label>
        ) : null}
        <button type="submit">Save branding</button>
      </form>
    </Layout>
  );
}
