// The Daraja simulator set up for the demo's first ISP (its M-Pesa app and shortcode), as the
// browser and portal tests start it before ./kiunga.
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import type { DemoJson, MpesaDemoTenant } from './kiunga-process';

/** How long the simulated customer takes to answer the STK prompt: quick, yet a visible pending state. */
const CALLBACK_DELAY_MS = 300;

export function startDemoDaraja(
  demo: DemoJson,
  options: {
    duplicateCallbacks?: number;
    callbackDelayMs?: number;
    externalValidation?: boolean;
    /** The simulator's clock, when the server's is not the wall clock. */
    now?: () => number;
  } = {},
): Promise<DarajaSimulator> {
  const { mpesa } = demo.tenants[0]! as MpesaDemoTenant;
  const { externalValidation, ...simulatorOptions } = options;
  return startDarajaSimulator({
    port: 0,
    apps: [{ consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret }],
    shortcodes: [
      {
        shortcode: mpesa.shortcode,
        passkey: mpesa.passkey,
        ...(externalValidation === undefined ? {} : { externalValidation }),
      },
    ],
    callbackDelayMs: CALLBACK_DELAY_MS,
    ...simulatorOptions,
  });
}
