// The consoles' one stylesheet (inlined: one request per page), mobile-first, themed by CSS custom properties.
import type { Branding } from '@kiunga/schemas';

const COLOUR_PATTERN = /^#[0-9a-fA-F]{6}$/;
export const DEFAULT_PRIMARY_COLOR = '#0b6e4f';
export const DEFAULT_ACCENT_COLOR = '#f59e0b';
export const PLATFORM_PRIMARY_COLOR = '#1f2937';

/** A stored colour, or the fallback when it is not a plain #rrggbb (it goes into a <style> block). */
export function safeColour(colour: string | null | undefined, fallback: string): string {
  return colour && COLOUR_PATTERN.test(colour) ? colour.toLowerCase() : fallback;
}

/** The theme as custom properties: --brand (header, buttons) and --accent (highlights). */
export function themeCss(branding: Pick<Branding, 'primaryColor' | 'accentColor'> | null): string {
  const brand = safeColour(branding?.primaryColor, DEFAULT_PRIMARY_COLOR);
  const accent = safeColour(branding?.accentColor, DEFAULT_ACCENT_COLOR);
  return `:root{--brand:${brand};--accent:${accent}}`;
}

export const consoleCss = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f4f5f7}
a{color:var(--brand)}
header.top{background:var(--brand);color:#fff;display:flex;align-items:center;gap:.6rem;padding:.55rem .9rem}
header.top .name{font-weight:700;font-size:1.05rem;flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
header.top img{height:32px;width:auto;max-width:96px;border-radius:4px;background:#fff}
header.top form{margin:0}
header.top button{background:transparent;border:1px solid #fff8;color:#fff;padding:.3rem .6rem}
nav.tabs{display:flex;gap:.25rem;overflow-x:auto;background:#fff;border-bottom:1px solid #e5e7eb;padding:0 .5rem;scrollbar-width:none}
nav.tabs a{padding:.6rem .65rem;text-decoration:none;color:#374151;white-space:nowrap;border-bottom:3px solid transparent}
nav.tabs a[aria-current]{border-bottom-color:var(--accent);color:#111827;font-weight:600}
main{padding:.9rem;max-width:1100px;margin:0 auto}
h1{font-size:1.3rem;margin:.2rem 0 .8rem}
h2{font-size:1.08rem;margin:1.2rem 0 .5rem}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.9rem;margin-bottom:.9rem}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.6rem;margin-bottom:.9rem}
.stat{background:#fff;border:1px solid #e5e7eb;border-left:4px solid var(--accent);border-radius:8px;padding:.7rem}
.stat b{display:block;font-size:1.5rem}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #e5e7eb;border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid #eef0f2;white-space:nowrap}
th{background:#f9fafb;font-weight:600}
td form{display:inline}
.mono,code{font-family:ui-monospace,Menlo,Consolas,monospace}
label{display:block;margin:.55rem 0 .2rem;font-weight:600;font-size:.9rem}
input,select,textarea{width:100%;font:inherit;padding:.55rem .6rem;border:1px solid #cbd0d6;border-radius:6px;background:#fff}
input[type=checkbox]{width:auto}
fieldset{min-width:0}/* default min-content: a wide table inside would widen the page */
.row{display:grid;grid-template-columns:1fr;gap:0 .8rem}
@media(min-width:640px){.row{grid-template-columns:1fr 1fr}main{padding:1.2rem}}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.5rem .9rem;border-radius:6px;border:1px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer;text-decoration:none;margin-top:.7rem}
button.secondary,.button.secondary{background:#fff;color:var(--brand)}
button.danger{background:#b91c1c;border-color:#b91c1c}
td button,td .button{margin:0;padding:.3rem .6rem;font-size:.85rem}
.flash{padding:.65rem .8rem;border-radius:6px;margin-bottom:.8rem;border:1px solid}
.flash.ok{background:#ecfdf5;border-color:#10b981;color:#065f46}
.flash.error{background:#fef2f2;border-color:#ef4444;color:#991b1b}
.banner{padding:.65rem .8rem;border-radius:6px;margin-bottom:.8rem;border:1px solid;font-weight:600}
.banner.grace{background:#fffbeb;border-color:#f59e0b;color:#92400e}
.banner.restricted{background:#fef2f2;border-color:#b91c1c;color:#7f1d1d}
.subnav{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 .8rem}.subnav a{padding:.25rem .6rem;border:1px solid #e5e7eb;border-radius:99px;text-decoration:none;background:#fff}.subnav a[aria-current]{border-color:var(--accent);font-weight:600}
.stat.owes b{color:#b91c1c}
.secret{background:#fffbeb;border:2px dashed var(--accent);padding:.7rem;border-radius:6px;word-break:break-all;font-size:1.05rem}
.empty{text-align:center;color:#6b7280;padding:1.6rem .8rem}
.muted{color:#6b7280;font-size:.88rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:99px;font-size:.8rem;background:#e5e7eb}
.badge.active,.badge.unused,.badge.open{background:#d1fae5}.badge.suspended,.badge.revoked{background:#fee2e2}.badge.trial,.badge.expired{background:#fef3c7}.badge.paid,.badge.matched{background:#d1fae5}.badge.unmatched,.badge.grace,.badge.partially_paid{background:#fef3c7}.badge.restricted,.badge.void{background:#fee2e2}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.8rem}
.toolbar form{display:flex;flex-wrap:wrap;gap:.4rem;flex:1;min-width:220px}
.toolbar input{flex:1 1 160px}.toolbar select{flex:1 1 120px;width:auto}.toolbar button,.toolbar .button{margin:0}
.pager{display:flex;justify-content:space-between;margin:.8rem 0}
pre{background:#111827;color:#e5e7eb;padding:.8rem;border-radius:6px;overflow-x:auto;font-size:.82rem}
.login{max-width:380px;margin:8vh auto;padding:0 .9rem}
fieldset.permissions{border:1px solid #e5e7eb;border-radius:6px;display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:0 .8rem;margin:.6rem 0}
label.check{font-weight:400;margin:.25rem 0}
form.inline-form{display:flex;gap:.3rem;align-items:center}form.inline-form select{width:auto;padding:.3rem}
`
  .replace(/\n/g, '')
  .trim();
