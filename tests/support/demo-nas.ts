// A simulated MikroTik standing in for the demo's first router: its CoA port is where Kiunga sends CoA and
// Disconnect requests, as a real router listens on 3799 (the browser tests start it before ./kiunga).
import { type NasSimulator, startNasSimulator } from '@kiunga/ops/sim/nas';
import { changePlatform } from './data-access';
import type { DemoJson } from './kiunga-process';

/** Starts the simulator acknowledging every request, and points the demo NAS's CoA port at it. */
export async function startDemoNas(dataDir: string, demo: DemoJson): Promise<NasSimulator> {
  const nas = demo.tenants[0]!.nas[0]!;
  const simulator = await startNasSimulator({
    host: '127.0.0.1',
    coaPort: 0,
    secret: nas.secret,
    behaviour: 'ack',
  });
  await changePlatform(dataDir, 'UPDATE nas_devices SET coa_port = ? WHERE id = ?', simulator.port, nas.id);
  return simulator;
}
