// The outside services of `./kiunga demo`: a Daraja simulator for the first ISP's M-Pesa (unless a
// real base URL is configured) and a NAS simulator answering CoA on the demo NAS's port 3799.
// The same Daraja simulator takes ISPs' payments to the platform's own shortcode, and a PayPal
// simulator stands in for PayPal, unless real ones are configured. An SMS gateway simulator takes the
// demo ISPs' reminders (unless KIUNGA_SMS_BASE_URL is set). A GenieACS NBI simulator is the platform's
// shared TR-069 ACS (unless KIUNGA_GENIEACS_URL is set), its CPEs tagged for the first demo ISP.

import { tenantTag } from '@kiunga/control-api/integrations/genieacs';
import { type Clock, randomAlphanumeric } from '@kiunga/schemas';
import { type DarajaSimulator, startDarajaSimulator } from '../../sim/daraja/daraja-simulator';
import { DEFAULT_DEVICES } from '../../sim/genieacs/fixtures';
import { startGenieAcsSimulator } from '../../sim/genieacs/genieacs-simulator';
import { startNasSimulator } from '../../sim/nas/nas-simulator';
import { startPayPalSimulator } from '../../sim/paypal/paypal-simulator';
import { startSmsSimulator } from '../../sim/sms/sms-simulator';
import type { KiungaConfig } from '../config';
import type { DemoJson } from '../demo/seed';

/** The demo's simulated customer answers the PIN prompt after this long. */
const DEMO_CALLBACK_DELAY_MS = 4_000;
const DEMO_COA_PORT = 3799;
/** The platform's demo collection account on the Daraja simulator (never a real shortcode). */
const DEMO_PLATFORM_MPESA = {
  shortcode: '600100',
  passkey: 'kiunga-demo-platform-passkey',
  consumerKey: 'kiunga-demo-platform-key',
  consumerSecret: 'kiunga-demo-platform-secret',
};
/** The platform's own SMS account on the demo's simulator (sign-up codes). */
const DEMO_PLATFORM_SMS_USERNAME = 'kiunga-platform';
const DEMO_PAYPAL = { clientId: 'kiunga-demo-paypal', clientSecret: 'kiunga-demo-paypal-secret' };

/** `clock` is the servers' (KIUNGA_CLOCK_START's, or the system's): Daraja checks request timestamps against it. */
export async function startDemoSimulators(demo: DemoJson, config: KiungaConfig, clock: Clock) {
  const stops: Array<() => Promise<void>> = [];
  let mpesaBaseUrl = config.mpesaBaseUrl;
  const mpesaTenants = demo.tenants.filter((tenant) => tenant.mpesa);
  let platformBilling = config.platformBilling;
  if (!mpesaBaseUrl) {
    const platformMpesa = platformBilling.mpesa ?? DEMO_PLATFORM_MPESA;
    const daraja: DarajaSimulator = await startDarajaSimulator({
      port: Number(process.env['KIUNGA_DEMO_DARAJA_PORT'] ?? 0),
      apps: [
        ...mpesaTenants.map((tenant) => ({
          consumerKey: tenant.mpesa!.consumerKey,
          consumerSecret: tenant.mpesa!.consumerSecret,
        })),
        { consumerKey: platformMpesa.consumerKey, consumerSecret: platformMpesa.consumerSecret },
      ],
      shortcodes: [
        ...mpesaTenants.map((tenant) => ({
          shortcode: tenant.mpesa!.shortcode,
          passkey: tenant.mpesa!.passkey,
        })),
        { shortcode: platformMpesa.shortcode, passkey: platformMpesa.passkey },
      ],
      callbackDelayMs: DEMO_CALLBACK_DELAY_MS,
      now: () => clock.now(),
    });
    mpesaBaseUrl = daraja.baseUrl;
    platformBilling = { ...platformBilling, mpesa: platformMpesa };
    stops.push(() => daraja.stop());
  }
  if (!platformBilling.paypal) {
    const paypal = await startPayPalSimulator({ port: 0, clients: [DEMO_PAYPAL] });
    platformBilling = {
      ...platformBilling,
      paypal: { baseUrl: paypal.baseUrl, ...DEMO_PAYPAL, kesCentsPerUsd: 12_900 },
    };
    stops.push(() => paypal.stop());
  }
  let smsBaseUrl = config.smsBaseUrl;
  let platformSms = config.platformSms;
  if (!smsBaseUrl) {
    // The platform's own account sends sign-up codes (a fresh key each run: nothing else knows it).
    platformSms = platformSms ?? { username: DEMO_PLATFORM_SMS_USERNAME, apiKey: randomAlphanumeric(32) };
    const sms = await startSmsSimulator({
      port: Number(process.env['KIUNGA_DEMO_SMS_PORT'] ?? 0),
      // A demo seeded before SMS existed has no SMS settings and no account here: nothing is sent.
      accounts: [
        { username: platformSms.username, apiKey: platformSms.apiKey },
        ...demo.tenants.flatMap((tenant) =>
          tenant.sms ? [{ username: tenant.sms.username, apiKey: tenant.sms.apiKey }] : [],
        ),
      ],
    });
    smsBaseUrl = sms.baseUrl;
    stops.push(() => sms.stop());
  }
  let sharedGenieAcs = config.sharedGenieAcs;
  const firstTenant = demo.tenants[0];
  if (!sharedGenieAcs && firstTenant) {
    const acs = await startGenieAcsSimulator({
      port: Number(process.env['KIUNGA_DEMO_GENIEACS_PORT'] ?? 0),
      devices: DEFAULT_DEVICES.map((device) => ({ ...device, tags: [tenantTag(firstTenant.id)] })),
      now: () => clock.now(),
    });
    sharedGenieAcs = { url: acs.baseUrl };
    stops.push(() => acs.stop());
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
    config: { ...config, mpesaBaseUrl, smsBaseUrl, platformSms, platformBilling, sharedGenieAcs },
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
