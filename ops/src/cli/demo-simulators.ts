// The outside services of `./kiunga demo`: a Daraja simulator for the first ISP's M-Pesa (unless a
// real base URL is configured) and a NAS simulator answering CoA on the demo NAS's port 3799.

import { type DarajaSimulator, startDarajaSimulator } from '../../sim/daraja/daraja-simulator';
import { startNasSimulator } from '../../sim/nas/nas-simulator';
import type { KiungaConfig } from '../config';
import type { DemoJson } from '../demo/seed';

/** The demo's simulated customer answers the PIN prompt after this long. */
const DEMO_CALLBACK_DELAY_MS = 4_000;
const DEMO_COA_PORT = 3799;

export async function startDemoSimulators(demo: DemoJson, config: KiungaConfig) {
  const stops: Array<() => Promise<void>> = [];
  let mpesaBaseUrl = config.mpesaBaseUrl;
  const mpesaTenants = demo.tenants.filter((tenant) => tenant.mpesa);
  if (!mpesaBaseUrl && mpesaTenants.length > 0) {
    const daraja: DarajaSimulator = await startDarajaSimulator({
      port: Number(process.env['KIUNGA_DEMO_DARAJA_PORT'] ?? 0),
      apps: mpesaTenants.map((tenant) => ({
        consumerKey: tenant.mpesa!.consumerKey,
        consumerSecret: tenant.mpesa!.consumerSecret,
      })),
      shortcodes: mpesaTenants.map((tenant) => ({
        shortcode: tenant.mpesa!.shortcode,
        passkey: tenant.mpesa!.passkey,
      })),
      callbackDelayMs: DEMO_CALLBACK_DELAY_MS,
    });
    mpesaBaseUrl = daraja.baseUrl;
    stops.push(() => daraja.stop());
  }
  for (const tenant of demo.tenants) {
    const nas = tenant.nas[0];
    if (!nas) continue;
    try {
      const simulator = await startNasSimulator({
        host: nas.ip,
        coaPort: DEMO_COA_PORT,
        secret: nas.secret,
        behaviour: 'ack',
      });
      stops.push(() => simulator.close());
    } catch {
      // Port 3799 taken (a real router or another demo): the demo runs without a simulated NAS.
    }
  }
  return {
    config: { ...config, mpesaBaseUrl },
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
