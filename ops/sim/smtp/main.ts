// Command line for the SMTP sink: accepts mail on loopback and prints one line per message received.
import { parseArgs } from 'node:util';
import { runSimulatorMain } from '../run';
import { startSmtpSink } from './smtp-sink';

/** A high port, so no root is needed and no real mail server is shadowed. */
const DEFAULT_PORT = '2525';
const PRINT_INTERVAL_MS = 500;

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: DEFAULT_PORT },
    },
  });
  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be 0..65535');
  const sink = await startSmtpSink({ host: values.host, port });
  process.stderr.write(`SMTP sink on ${sink.url} (KIUNGA_SMTP_URL=${sink.url})\n`);
  let printed = 0;
  const timer = setInterval(() => {
    for (const message of sink.messages().slice(printed)) {
      process.stderr.write(`mail to ${message.envelopeTo.join(', ')}: ${message.subject}\n`);
    }
    printed = sink.messages().length;
  }, PRINT_INTERVAL_MS);
  return {
    async stop() {
      clearInterval(timer);
      await sink.stop();
    },
  };
}

runSimulatorMain(main);
