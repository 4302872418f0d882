// The reseller's part of the captive portal: its name inside the ISP's branding when the page was opened
// through its link, and the optional agent-code field that credits a reseller with the sale.
import { type Language, t } from '../../i18n';
import type { PortalReseller } from './sales';

export function ResellerBanner(props: { reseller: PortalReseller; language: Language }) {
  return (
    <section data-reseller={props.reseller.code}>
      <p class="note">{t(props.language, 'portal.reseller.yourAgent')}</p>
      <h2>{props.reseller.name}</h2>
    </section>
  );
}

/** Filled in from the link; a buyer may type an agent's code instead (or leave it empty). */
export function ResellerCodeField(props: { reseller: PortalReseller | null; language: Language }) {
  return (
    <label>
      {t(props.language, 'portal.reseller.codeLabel')}
      <input
        type="text"
        name="reseller"
        value={props.reseller?.code ?? ''}
        maxlength={32}
        autocapitalize="characters"
        autocomplete="off"
      />
    </label>
  );
}
