// The Daraja simulator set up for the demo's first ISP (its M-Pesa app and shortcode), as the
// browser and portal tests start it before ./kiunga.
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import type { DemoJson, MpesaDemoTenant } from './kiunga-process';

/** How long the simulated customer takes to answer the STK prompt: quick, yet a visible pending state. */
const CALLBACK_DELAY_MS = 300;

export function startDemoDaraja(
  demo: DemoJson,
  options: { duplicateCallbacks?: number } = {},
): Promise<DarajaSimulator> {
  const { mpesa } = demo.tenants[0]! as MpesaDemoTenant;
  return startDarajaSimulator({
    port: 0,
    apps: [{ consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret }],
    shortcodes: [{ shortcode: mpesa.shortcode, passkey: mpesa.passkey }],
    callbackDelayMs: CALLBACK_DELAY_MS,
    ...options,
  });
}
