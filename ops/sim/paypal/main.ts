// `node --import tsx ops/sim/paypal/main.ts [--port 8090] [--client-id ID --client-secret SECRET]`
import { runSimulatorMain } from '../run';
import { startPayPalSimulator } from './paypal-simulator';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const simulator = await startPayPalSimulator({
    port: Number(argument('--port', '8090')),
    clients: [
      {
        clientId: argument('--client-id', 'kiunga-paypal'),
        clientSecret: argument('--client-secret', 'kiunga-paypal-secret'),
      },
    ],
  });
  process.stderr.write(`PayPal simulator on ${simulator.baseUrl}\n`);
  return simulator;
}

runSimulatorMain(main);
