// Command line for the Daraja simulator: serves Daraja's API on loopback for the demo and manual testing.
import { parseArgs } from 'node:util';
import { runSimulatorMain } from '../run';
import { startDarajaSimulator } from './daraja-simulator';
import { isStkScenarioName } from './scenarios';

/** Sandbox-like defaults, so `node --import tsx ops/sim/daraja/main.ts` works with no flags. */
const DEFAULTS = {
  port: '8089',
  consumerKey: 'kiunga-sim-key',
  consumerSecret: 'kiunga-sim-secret',
  shortcode: '174379',
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  callbackDelayMs: '1500',
} as const;

function integer(name: string, value: string, min: number, max: number): number {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    throw new Error(`--${name} must be ${min}..${max}`);
  return parsed;
}

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: DEFAULTS.port },
      'consumer-key': { type: 'string', default: DEFAULTS.consumerKey },
      'consumer-secret': { type: 'string', default: DEFAULTS.consumerSecret },
      shortcode: { type: 'string', multiple: true },
      passkey: { type: 'string', multiple: true },
      'callback-delay-ms': { type: 'string', default: DEFAULTS.callbackDelayMs },
      duplicates: { type: 'string', default: '0' },
      scenario: { type: 'string', default: 'success' },
      'allow-non-loopback-callbacks': { type: 'boolean', default: false },
    },
  });
  const shortcodes = values.shortcode ?? [DEFAULTS.shortcode];
  const passkeys = values.passkey ?? [DEFAULTS.passkey];
  if (shortcodes.length !== passkeys.length) throw new Error('give one --passkey for each --shortcode');
  if (!isStkScenarioName(values.scenario)) throw new Error(`unknown --scenario ${values.scenario}`);
  const simulator = await startDarajaSimulator({
    host: values.host,
    port: integer('port', values.port, 0, 65_535),
    apps: [{ consumerKey: values['consumer-key'], consumerSecret: values['consumer-secret'] }],
    shortcodes: shortcodes.map((shortcode, index) => ({ shortcode, passkey: passkeys[index] ?? '' })),
    callbackDelayMs: integer('callback-delay-ms', values['callback-delay-ms'], 0, 600_000),
    duplicateCallbacks: integer('duplicates', values.duplicates, 0, 10),
    defaultScenario: values.scenario,
    allowNonLoopbackCallbacks: values['allow-non-loopback-callbacks'],
  });
  process.stderr.write(`Daraja simulator on ${simulator.baseUrl} (shortcodes ${shortcodes.join(', ')})\n`);
  return simulator;
}

runSimulatorMain(main);
