// What every simulator shares: listening on loopback, and a command line that runs until a signal.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens (port 0: any free one) and resolves with the port the server got. */
export async function listenHttp(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Runs a simulator's `main`: it starts the simulator, says where it listens on stderr and returns
 * how to stop it; SIGINT/SIGTERM stop it and exit 0; a failure to start prints why and exits 1.
 */
export function runSimulatorMain(main: () => Promise<{ stop(): Promise<unknown> }>): void {
  main().then(
    (simulator) => {
      const stop = (): void => {
        void simulator.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
