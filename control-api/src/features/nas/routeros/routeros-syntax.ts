// Small builders for RouterOS script text: quoted strings, "say what failed", and "add at the top of a list".
// RouterOS manual, Scripting: string escapes, `:do {} on-error={}`, `:put`, `:if`, `:len`, `:pick`.

/** Every item the script creates carries this comment, so that a re-run (or an ISP) finds and removes it. */
export const KIUNGA_COMMENT = '"kiunga"';

/**
 * RouterOS string literal: double quotes with \, ", $ and ? escaped (RouterOS manual, Scripting,
 * "Escape sequences"): `$` starts a variable, and `?` typed or pasted into the terminal opens help.
 */
export function routerosString(text: string): string {
  return `"${text.replace(/[\\"$?]/g, (character) => `\\${character}`)}"`;
}

/** Text for a `#` comment line: one line, printable ASCII, no `?` (the terminal would open help). */
export function commentText(text: string): string {
  return text.replace(/[^\x20-\x3e\x40-\x7e]/g, ' ');
}

/**
 * Runs `command`; if RouterOS refuses it, prints what failed and carries on with the next line instead
 * of stopping the whole import or failing without a word.
 */
export function tryOrSay(command: string, failure: string): string {
  return `:do { ${command} } on-error={ :put ${routerosString(`kiunga: ${failure}`)} }`;
}

/**
 * Adds a rule above every static rule of `menu` (firewall rules match top to bottom, so an ISP's own
 * "accept everything from the LAN" must not come first). `place-before` needs an existing item, hence
 * the plain add when the list is empty. Dynamic rules (hotspot, fasttrack counters) stay where they are.
 */
export function addOnTop(menu: string, arguments_: string, options: { hasDynamicItems: boolean }): string {
  const find = options.hasDynamicItems ? `[${menu} find where dynamic=no]` : `[${menu} find]`;
  return (
    `:if ([:len ${find}] > 0) do={ ${menu} add ${arguments_} place-before=[:pick ${find} 0] } ` +
    `else={ ${menu} add ${arguments_} }`
  );
}

/** RouterOS time value: whole minutes as `5m`, anything else in seconds. */
export function routerosInterval(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}
