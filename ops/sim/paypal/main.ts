// `node --import tsx ops/sim/paypal/main.ts [--port 8090] [--client-id ID --client-secret SECRET]`
import { startPayPalSimulator } from './paypal-simulator';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const simulator = await startPayPalSimulator({
  port: Number(argument('--port', '8090')),
  clients: [
    {
      clientId: argument('--client-id', 'kiunga-paypal'),
      clientSecret: argument('--client-secret', 'kiunga-paypal-secret'),
    },
  ],
});
process.stdout.write(`PayPal simulator on ${simulator.baseUrl}\n`);
process.once('SIGINT', () => void simulator.stop());
process.once('SIGTERM', () => void simulator.stop());
