// The RouterOS firewall for expired or suspended PPPoE accounts that Kiunga lets in to pay (walled garden).
//
// Kiunga answers such an account Access-Accept with `Mikrotik-Address-List=kiunga-expired`, so the router
// puts the client's address in that list (RouterOS manual, RADIUS, MikroTik attributes 19
// MIKROTIK_ADDRESS_LIST). These rules give that list only DNS, Kiunga's pay page and the walled garden,
// send plain HTTP to the pay page, and drop the rest. Checked against the RouterOS v7 CLI reference:
// ip/firewall/filter and ip/firewall/nat (chain, action, jump-target, to-ports, src/dst-address-list,
// protocol, dst-port; "if the input does not match the name of an already defined chain, a new chain
// will be created"), ip/firewall/address-list ("address: a single IP address or range ..., or a DNS
// name", resolved by the router), ip/proxy (enabled, port) and ip/proxy/access (local-port,
// action=redirect, action-data: the redirect URL). The manual's Proxy page shows the transparent
// redirect (`chain=dstnat protocol=tcp dst-port=80 action=redirect to-ports=8080`).
import { addOnTop, KIUNGA_COMMENT, routerosString, tryOrSay } from './routeros-syntax';

/** The address list Kiunga's RADIUS replies put expired or suspended accounts in (the AAA server's name). */
export const EXPIRED_ADDRESS_LIST = 'kiunga-expired';
/** Where those accounts may still go: Kiunga itself, plus whatever the ISP adds to the list. */
export const WALLED_GARDEN_ADDRESS_LIST = 'kiunga-walled-garden';
/** The firewall chain holding the rules for the expired list. */
const EXPIRED_CHAIN = 'kiunga-expired';
/**
 * The router's web proxy port that answers every request with a redirect to the pay page. Not the proxy's
 * default 8080, which an ISP may already use for caching; 8099 is unassigned and clear of the hotspot's
 * own 64872-64875.
 */
export const PAY_PAGE_PROXY_PORT = 8099;
/** DNS (RFC 1035 §4.2): clients must resolve Kiunga's name before they can reach the pay page. */
const DNS_PORT = 53;
/** Plain HTTP: the only traffic that can be redirected (HTTPS to another site cannot be answered for it). */
const HTTP_PORT = 80;

export interface ExpiredAccountRulesInput {
  /** Host of Kiunga's public URL (a DNS name or an IP): the pay page and the portal live there. */
  kiungaHost: string;
  /** `<public URL>/account/<slug>`: where a subscriber signs in and pays with M-Pesa. */
  payPageUrl: string;
}

const FILTER = '/ip firewall filter';
const NAT = '/ip firewall nat';
const PROXY_ACCESS = '/ip proxy access';

function chainRule(arguments_: string): string {
  return `${FILTER} add chain=${EXPIRED_CHAIN} ${arguments_} comment=${KIUNGA_COMMENT}`;
}

/** Removes what an earlier run of the script added, so that running it again changes nothing twice. */
function removePreviousRules(): string[] {
  return [
    `${FILTER} remove [find comment=${KIUNGA_COMMENT}]`,
    `${NAT} remove [find comment=${KIUNGA_COMMENT}]`,
    `${PROXY_ACCESS} remove [find comment=${KIUNGA_COMMENT}]`,
    `/ip firewall address-list remove [find list=${WALLED_GARDEN_ADDRESS_LIST} comment=${KIUNGA_COMMENT}]`,
  ];
}

/** The web proxy answers every request on PAY_PAGE_PROXY_PORT with a redirect to the pay page. */
function payPageRedirect(payPageUrl: string): string[] {
  const port = String(PAY_PAGE_PROXY_PORT);
  return [
    `:if ([/ip proxy get enabled] && [:tostr [/ip proxy get port]] != ${routerosString(port)}) do={ :put ${routerosString(
      `kiunga: the web proxy already runs on another port, so plain HTTP from expired accounts is not sent to the pay page: add port ${port} to /ip proxy port by hand`,
    )} } else={ /ip proxy set enabled=yes port=${port} }`,
    tryOrSay(
      addOnTop(
        PROXY_ACCESS,
        `local-port=${port} action=redirect action-data=${routerosString(payPageUrl)} comment=${KIUNGA_COMMENT}`,
        { hasDynamicItems: false },
      ),
      'could not add the web proxy redirect to the pay page (RouterOS 7 needed: action=redirect)',
    ),
  ];
}

export function renderExpiredAccountRules(input: ExpiredAccountRulesInput): string[] {
  const fromExpired = `src-address-list=${EXPIRED_ADDRESS_LIST}`;
  return [
    `# 5. Expired or suspended PPPoE accounts (when the ISP chose the walled garden): Kiunga puts them in`,
    `#    the "${EXPIRED_ADDRESS_LIST}" address list. They get DNS, Kiunga's pay page and the "${WALLED_GARDEN_ADDRESS_LIST}"`,
    `#    list (add your own site there without the kiunga comment); plain HTTP goes to the pay page; the rest is dropped.`,
    ...removePreviousRules(),
    `/ip firewall address-list add list=${WALLED_GARDEN_ADDRESS_LIST} address=${routerosString(input.kiungaHost)} comment=${KIUNGA_COMMENT}`,
    chainRule(`protocol=udp dst-port=${DNS_PORT} action=accept`),
    chainRule(`protocol=tcp dst-port=${DNS_PORT} action=accept`),
    chainRule(`dst-address-list=${WALLED_GARDEN_ADDRESS_LIST} action=accept`),
    chainRule('action=drop'),
    addOnTop(
      FILTER,
      `chain=forward ${fromExpired} action=jump jump-target=${EXPIRED_CHAIN} comment=${KIUNGA_COMMENT}`,
      { hasDynamicItems: true },
    ),
    addOnTop(
      FILTER,
      `chain=input ${fromExpired} protocol=tcp dst-port=${PAY_PAGE_PROXY_PORT} action=accept comment=${KIUNGA_COMMENT}`,
      { hasDynamicItems: true },
    ),
    addOnTop(
      NAT,
      `chain=dstnat ${fromExpired} dst-address-list=!${WALLED_GARDEN_ADDRESS_LIST} protocol=tcp dst-port=${HTTP_PORT} ` +
        `action=redirect to-ports=${PAY_PAGE_PROXY_PORT} comment=${KIUNGA_COMMENT}`,
      { hasDynamicItems: true },
    ),
    ...payPageRedirect(input.payPageUrl),
  ];
}
