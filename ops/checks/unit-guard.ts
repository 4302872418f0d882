// Setup file of the vitest `unit` project: a unit test that opens a socket or starts a process fails,
// naming the file, so it is moved to the `e2e` project (vitest.config.ts) instead of slowing `unit`.
import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

function refuse(what: string): never {
  throw new Error(
    `${what} in a unit test: tests that start a server or a process belong to the e2e project (vitest.config.ts, PROCESS_TESTS_BESIDE_CODE)`,
  );
}

net.Server.prototype.listen = () => refuse('net.Server.listen');
dgram.Socket.prototype.bind = () => refuse('dgram.Socket.bind');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  Object.assign(childProcess, { [name]: () => refuse(`child_process.${name}`) });
}
// ESM imports of node:child_process see the patched functions only after this.
syncBuiltinESMExports();
