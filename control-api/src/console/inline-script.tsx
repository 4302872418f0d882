// Inline scripts under the Content-Security-Policy: each carries the nonce of the response it is
// rendered into (middleware/security-headers.ts), so the browser runs ours and nothing injected.

import { tryGetContext } from 'hono/context-storage';
import { raw } from 'hono/html';

/** The nonce of the request being answered; undefined outside a request (a view rendered in a unit test). */
function currentScriptNonce(): string | undefined {
  return tryGetContext()?.get('secureHeadersNonce');
}

/** `source` is our own static code: it is written into the page as is, never escaped. */
export function InlineScript(props: { source: string }) {
  return <script nonce={currentScriptNonce()}>{raw(props.source)}</script>;
}

/**
 * Buttons and links with `data-confirm` ask before they act (a CSP allows no `onclick` attribute):
 * one listener on the document, so rows added later by a script are covered too.
 */
export const CONFIRM_BEFORE_ACTING_SCRIPT = `document.addEventListener('click',function(e){
var t=e.target instanceof Element?e.target.closest('[data-confirm]'):null;
if(t&&!window.confirm(t.getAttribute('data-confirm')))e.preventDefault()});`;
