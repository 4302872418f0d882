// Command line: runs Debian's snmpd on loopback with a community of your choosing, for polling by hand or by the demo.
import { parseArgs } from 'node:util';
import { runSimulatorMain } from '../run';
import { startSnmpAgent } from './snmpd-agent';

/** So `node --import tsx ops/sim/snmpd/main.ts` works with no flags; 1161, not 161, needs no root. */
const DEFAULTS = { port: '1161', community: 'kiunga-sim-snmp' } as const;

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: DEFAULTS.port },
      community: { type: 'string', default: DEFAULTS.community },
    },
  });
  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be 0..65535');
  const agent = await startSnmpAgent({ port, community: values.community });
  process.stderr.write(`snmpd on udp:${agent.host}:${agent.port}, community ${agent.community}\n`);
  return agent;
}

runSimulatorMain(main);
