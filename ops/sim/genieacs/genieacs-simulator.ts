// A GenieACS NBI simulator for tests and the demo, on loopback: the routes, status codes and bodies of
// genieacs v1.2.16 lib/nbi.ts (devices query with projection, tasks with connection request, tags,
// presets, provisions, faults), over a few simulated CPEs. A task for an online CPE runs at once
// (200, or 202 "Task faulted"); for an offline one it stays pending (202 "Task queued but not processed").
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Script } from 'node:vm';
import { listenHttp } from '../run';
import { DEFAULT_DEVICES, type DeviceFixture } from './fixtures';
import { matchesQuery, project, UnsupportedQueryError } from './query';
import { type CwmpFault, SimulatedDevice, type TaskDocument } from './simulated-device';
import { validateTask } from './task-validation';

/** GenieACS reads whole bodies; a task or preset is a few kB, a provision script tens of kB. */
export const REQUEST_BODY_BYTES_MAX = 1024 * 1024;
/** Requests kept for inspection (a test makes a handful). */
export const RECORDED_REQUESTS_MAX = 10_000;
/** The version the simulator answers as (the `GenieACS-Version` header every NBI answer carries). */
export const SIMULATED_GENIEACS_VERSION = '1.2.16';

export interface GenieAcsSimulatorOptions {
  /** Loopback only: 127.0.0.1 unless told otherwise. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The devices to hold; the three default ones when absent. */
  readonly devices?: readonly DeviceFixture[];
  /** Basic auth the simulated proxy in front of the NBI demands (the NBI itself has none). */
  readonly auth?: { readonly username: string; readonly password: string };
  readonly now?: () => number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface FaultDocument extends CwmpFault {
  readonly _id: string;
  readonly device: string;
  readonly channel: string;
  readonly timestamp: string;
  readonly retries: number;
}

export interface GenieAcsSimulator {
  readonly baseUrl: string;
  readonly port: number;
  device(id: string): SimulatedDevice | undefined;
  /** Tasks still waiting for their device, oldest first. */
  pendingTasks(deviceId?: string): TaskDocument[];
  faults(): FaultDocument[];
  presets(): Map<string, unknown>;
  provisions(): Map<string, string>;
  requests(): RecordedRequest[];
  /** Brings a device on- or offline. */
  setOnline(deviceId: string, isOnline: boolean): void;
  /** The device's periodic Inform: it runs its pending tasks, as GenieACS does at the next session. */
  inform(deviceId: string): void;
  reset(): void;
  stop(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly statusMessage?: string;
  readonly headers?: Record<string, string | number>;
  readonly body?: string;
}

interface State {
  readonly devices: Map<string, SimulatedDevice>;
  readonly tasks: TaskDocument[];
  readonly faults: Map<string, FaultDocument>;
  readonly presets: Map<string, unknown>;
  readonly provisions: Map<string, string>;
  readonly requests: RecordedRequest[];
}

const DEVICE_TASKS = /^\/devices\/([a-zA-Z0-9\-_%]+)\/tasks\/?$/;
const TASKS = /^\/tasks\/([a-zA-Z0-9\-_%]+)(\/[a-zA-Z_]*)?$/;
const TAGS = /^\/devices\/([a-zA-Z0-9\-_%]+)\/tags\/([a-zA-Z0-9\-_%]+)\/?$/;
const PRESETS = /^\/presets\/([a-zA-Z0-9\-_%]+)\/?$/;
const PROVISIONS = /^\/provisions\/([a-zA-Z0-9\-_%]+)\/?$/;
const FAULTS = /^\/faults\/([a-zA-Z0-9\-_%:]+)\/?$/;
const DEVICE = /^\/devices\/([a-zA-Z0-9\-_%]+)\/?$/;
const COLLECTION = /^\/([a-zA-Z0-9_]+)\/?$/;

const text = (status: number, body = '', statusMessage?: string): Reply => ({
  status,
  body,
  ...(statusMessage === undefined ? {} : { statusMessage }),
});
const json = (status: number, value: unknown, statusMessage?: string): Reply => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
  ...(statusMessage === undefined ? {} : { statusMessage }),
});
const methodNotAllowed = (allow: string): Reply => ({
  status: 405,
  headers: { Allow: allow },
  body: '405 Method Not Allowed',
});
const NO_SUCH_DEVICE = text(404, 'No such device');

function parseJsonBody(body: string): { value: unknown } | { error: Reply } {
  try {
    return { value: JSON.parse(body) };
  } catch (error) {
    const { name, message } = error as Error;
    return { error: text(400, `${name}: ${message}`) };
  }
}

function isoTime(milliseconds: number): string {
  return new Date(milliseconds).toISOString();
}

export class GenieAcsNbi {
  private readonly state: State;
  private readonly now: () => number;
  private readonly fixtures: readonly DeviceFixture[];

  constructor(fixtures: readonly DeviceFixture[], now: () => number) {
    this.fixtures = fixtures;
    this.now = now;
    this.state = {
      devices: new Map(),
      tasks: [],
      faults: new Map(),
      presets: new Map(),
      provisions: new Map(),
      requests: [],
    };
    this.reset();
  }

  get view(): State {
    return this.state;
  }

  reset(): void {
    const now = this.now();
    this.state.devices.clear();
    for (const fixture of this.fixtures)
      this.state.devices.set(fixture.id, new SimulatedDevice(fixture, now));
    this.state.tasks.length = 0;
    this.state.faults.clear();
    this.state.presets.clear();
    this.state.provisions.clear();
    this.state.requests.length = 0;
  }

  /** The next session of a device: its pending tasks run in order; one that faults stays (GenieACS retries). */
  inform(deviceId: string): void {
    const device = this.state.devices.get(deviceId);
    if (device === undefined) throw new Error(`no simulated device ${deviceId}`);
    device.lastInform = this.now();
    for (const task of this.state.tasks.filter((candidate) => candidate.device === deviceId)) {
      if (this.state.faults.has(`${deviceId}:task_${task._id}`)) continue;
      this.runPendingTask(device, task);
    }
  }

  /** lib/nbi.ts's handler: the first route pattern that matches, in its order; captures URL-decoded. */
  handle(method: string, url: URL, body: string): Reply {
    const routes: [RegExp, (captures: string[]) => Reply][] = [
      [PRESETS, ([name]) => this.presetRoute(method, name as string, body)],
      [PROVISIONS, ([name]) => this.provisionRoute(method, name as string, body)],
      [TAGS, ([deviceId, tag]) => this.tagRoute(method, deviceId as string, tag as string)],
      [FAULTS, ([faultId]) => this.faultRoute(method, faultId as string)],
      [
        DEVICE_TASKS,
        ([deviceId]) => this.deviceTaskRoute(method, deviceId as string, url.searchParams, body),
      ],
      [TASKS, ([taskId, action]) => this.taskRoute(method, taskId as string, action)],
      [DEVICE, ([deviceId]) => this.deleteDeviceRoute(method, deviceId as string)],
      [COLLECTION, ([collection]) => this.queryRoute(method, collection as string, url.searchParams)],
    ];
    for (const [pattern, route] of routes) {
      const match = pattern.exec(url.pathname);
      if (match === null) continue;
      // GenieACS decodes captures with decodeURIComponent; a malformed escape throws (answered 500).
      return route(
        match
          .slice(1)
          .map((capture) => (capture === undefined ? capture : decodeURIComponent(capture))) as string[],
      );
    }
    return text(404, '404 Not Found');
  }

  private faultRoute(method: string, faultId: string): Reply {
    if (method !== 'DELETE') return methodNotAllowed('DELETE');
    this.deleteFault(faultId);
    return text(200);
  }

  private deleteDeviceRoute(method: string, deviceId: string): Reply {
    if (method !== 'DELETE') return methodNotAllowed('DELETE');
    this.state.devices.delete(deviceId);
    this.state.tasks.splice(
      0,
      this.state.tasks.length,
      ...this.state.tasks.filter((task) => task.device !== deviceId),
    );
    return text(200);
  }

  /** PUT stores what `parse` makes of the body (or answers its refusal), DELETE forgets; as lib/nbi.ts does for both. */
  private storeRoute<T>(
    method: string,
    store: Map<string, T>,
    name: string,
    parse: () => { value: T } | { error: Reply },
  ): Reply {
    if (method === 'PUT') {
      const parsed = parse();
      if ('error' in parsed) return parsed.error;
      store.set(name, parsed.value);
      return text(200);
    }
    if (method === 'DELETE') {
      store.delete(name);
      return text(200);
    }
    return methodNotAllowed('PUT, DELETE');
  }

  private presetRoute(method: string, name: string, body: string): Reply {
    return this.storeRoute(method, this.state.presets, name, () => {
      const parsed = parseJsonBody(body);
      if ('error' in parsed) return parsed;
      if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
        // GenieACS sets preset._id on whatever was parsed; a non-object makes it throw.
        return { error: text(500, "TypeError: Cannot create property '_id' on a non-object") };
      }
      return { value: { ...parsed.value, _id: name } };
    });
  }

  private provisionRoute(method: string, name: string, body: string): Reply {
    return this.storeRoute(method, this.state.provisions, name, () => {
      try {
        // GenieACS compiles (never runs) the script the same way before storing it.
        new Script(`"use strict";(function(){\n${body}\n})();`);
      } catch (error) {
        const { name: errorName, message } = error as Error;
        return { error: text(400, `${errorName}: ${message}`) };
      }
      return { value: body };
    });
  }

  private tagRoute(method: string, deviceId: string, tag: string): Reply {
    if (method !== 'POST' && method !== 'DELETE') return methodNotAllowed('POST, DELETE');
    const device = this.state.devices.get(deviceId);
    if (device === undefined) return NO_SUCH_DEVICE;
    if (method === 'POST') device.tags.add(tag);
    else device.tags.delete(tag);
    return text(200);
  }

  private deviceTaskRoute(
    method: string,
    deviceId: string,
    searchParams: URLSearchParams,
    body: string,
  ): Reply {
    if (method !== 'POST') return methodNotAllowed('POST');
    const isConnectionRequest = searchParams.has('connection_request');
    let task: TaskDocument | undefined;
    if (body.length > 0) {
      const parsed = parseJsonBody(body);
      if ('error' in parsed) return parsed.error;
      if (typeof parsed.value !== 'object' || parsed.value === null)
        return text(500, 'TypeError: not a task');
      task = { ...(parsed.value as Record<string, unknown>), device: deviceId } as TaskDocument;
    }
    if (task === undefined && !isConnectionRequest) return text(400);
    const device = this.state.devices.get(deviceId);
    if (device === undefined) return NO_SUCH_DEVICE;
    if (task === undefined) {
      return device.isOnline ? text(200) : text(504, 'Device is offline', 'Device is offline');
    }
    const refusal = validateTask(task);
    // GenieACS's sanitizeTask throws: the worker answers 500 (or drops the connection) with its message.
    if (refusal !== null) return text(500, `Error: ${refusal}`);
    const stored = this.insertTask(task);
    if (!isConnectionRequest) return json(202, stored);
    if (!device.isOnline) return json(202, stored, 'Task queued but not processed');
    const fault = this.runPendingTask(device, stored);
    return fault === null ? json(200, stored) : json(202, stored, 'Task faulted');
  }

  private insertTask(task: TaskDocument): TaskDocument {
    const now = this.now();
    const stored: TaskDocument = { ...task, _id: randomBytes(12).toString('hex'), timestamp: isoTime(now) };
    if (typeof task.expiry === 'number') stored.expiry = isoTime(now + task.expiry * 1000);
    this.state.tasks.push(stored);
    return stored;
  }

  /** Runs a stored task in a session: done tasks leave the queue, a faulted one stays with its fault. */
  private runPendingTask(device: SimulatedDevice, task: TaskDocument): CwmpFault | null {
    const now = this.now();
    const index = this.state.tasks.indexOf(task);
    if (typeof task.expiry === 'string' && Date.parse(task.expiry) <= now) {
      if (index >= 0) this.state.tasks.splice(index, 1);
      return null;
    }
    const fault = device.runTask(task, now);
    if (fault === null) {
      if (index >= 0) this.state.tasks.splice(index, 1);
      return null;
    }
    const channel = `task_${task._id}`;
    const id = `${device.id}:${channel}`;
    const retries = (this.state.faults.get(id)?.retries ?? -1) + 1;
    this.state.faults.set(id, {
      _id: id,
      device: device.id,
      channel,
      timestamp: isoTime(now),
      retries,
      ...fault,
    });
    return fault;
  }

  private deleteFault(faultId: string): void {
    this.state.faults.delete(faultId);
    const channel = faultId.slice(faultId.indexOf(':') + 1);
    if (channel.startsWith('task_')) this.removeTask(channel.slice('task_'.length));
  }

  private removeTask(taskId: string): boolean {
    const index = this.state.tasks.findIndex((task) => task._id === taskId);
    if (index < 0) return false;
    this.state.tasks.splice(index, 1);
    return true;
  }

  private taskRoute(method: string, taskId: string, action: string | undefined): Reply {
    if (!/^[0-9a-f]{24}$/.test(taskId)) {
      // new ObjectId(taskId) throws in GenieACS before anything is looked up.
      return text(500, 'BSONError: input must be a 24 character hex string');
    }
    const task = this.state.tasks.find((candidate) => candidate._id === taskId);
    if (action === undefined || action === '/') {
      if (method !== 'DELETE') return methodNotAllowed('PUT DELETE');
      if (task === undefined) return text(404, 'Task not found');
      this.removeTask(taskId);
      this.state.faults.delete(`${task.device}:task_${taskId}`);
      return text(200);
    }
    if (action !== '/retry') return text(404);
    if (method !== 'POST') return methodNotAllowed('POST');
    if (task === undefined) return text(404, 'Task not found');
    this.state.faults.delete(`${task.device}:task_${taskId}`);
    return text(200);
  }

  private queryRoute(method: string, collectionName: string, searchParams: URLSearchParams): Reply {
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed('GET, HEAD');
    const collections: Record<string, () => Record<string, unknown>[]> = {
      devices: () => [...this.state.devices.values()].map((device) => device.document()),
      tasks: () => this.state.tasks.map((task) => ({ ...task })),
      faults: () => [...this.state.faults.values()].map((fault) => ({ ...fault })),
      presets: () => [...this.state.presets.values()] as Record<string, unknown>[],
      provisions: () => [...this.state.provisions].map(([_id, script]) => ({ _id, script })),
    };
    const list = collections[collectionName];
    if (list === undefined) return text(404, '404 Not Found');
    let query: unknown = {};
    if (searchParams.has('query')) {
      const parsed = parseJsonBody(searchParams.get('query') as string);
      if ('error' in parsed) return parsed.error;
      query = parsed.value;
    }
    let items: Record<string, unknown>[];
    try {
      items = list().filter((item) => matchesQuery(item, query, collectionName === 'devices'));
    } catch (error) {
      if (error instanceof UnsupportedQueryError) return text(400, `simulator: ${error.message}`);
      throw error;
    }
    const total = items.length;
    const skip = Number.parseInt(searchParams.get('skip') ?? '0', 10) || 0;
    const limit = searchParams.has('limit')
      ? Number.parseInt(searchParams.get('limit') as string, 10)
      : undefined;
    items = items.slice(skip, limit === undefined || Number.isNaN(limit) ? undefined : skip + limit);
    const projection = searchParams.get('projection');
    if (projection !== null) {
      const paths = projection.split(',').map((part) => part.trim());
      items = items.map((item) => project(item, paths));
    }
    const headers = { 'Content-Type': 'application/json', total };
    if (method === 'HEAD') return { status: 200, headers };
    return { status: 200, headers, body: `[\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n]` };
  }
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > REQUEST_BODY_BYTES_MAX) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, reply: Reply): void {
  const body = reply.body ?? '';
  response.writeHead(reply.status, reply.statusMessage ?? '', {
    'GenieACS-Version': SIMULATED_GENIEACS_VERSION,
    'Content-Length': Buffer.byteLength(body),
    ...reply.headers,
  });
  response.end(body);
}

function isAuthorized(request: IncomingMessage, auth: GenieAcsSimulatorOptions['auth']): boolean {
  if (auth === undefined) return true;
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return request.headers.authorization === expected;
}

export async function startGenieAcsSimulator(options: GenieAcsSimulatorOptions): Promise<GenieAcsSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!host.startsWith('127.') && host !== 'localhost')
    throw new Error('the GenieACS simulator listens on loopback only');
  const nbi = new GenieAcsNbi(options.devices ?? DEFAULT_DEVICES, options.now ?? Date.now);
  const state = nbi.view;
  const server = createServer((request, response) => {
    void (async () => {
      if (!isAuthorized(request, options.auth)) {
        return send(response, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="GenieACS"' } });
      }
      const url = new URL(request.url ?? '/', 'http://simulator.invalid');
      const body = await readBody(request);
      if (body === null) return send(response, text(413, 'Request body too large'));
      state.requests.push({
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
      });
      if (state.requests.length > RECORDED_REQUESTS_MAX) state.requests.shift();
      send(response, nbi.handle(request.method ?? 'GET', url, body));
    })().catch((error: unknown) => {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      send(response, text(500, `${name}: ${message}`));
    });
  });
  const port = await listenHttp(server, host, options.port);
  return {
    baseUrl: `http://${host}:${port}`,
    port,
    device: (id) => state.devices.get(id),
    pendingTasks: (deviceId) =>
      state.tasks.filter((task) => deviceId === undefined || task.device === deviceId),
    faults: () => [...state.faults.values()],
    presets: () => state.presets,
    provisions: () => state.provisions,
    requests: () => [...state.requests],
    setOnline(deviceId, isOnline) {
      const device = state.devices.get(deviceId);
      if (device === undefined) throw new Error(`no simulated device ${deviceId}`);
      device.isOnline = isOnline;
    },
    inform: (deviceId) => nbi.inform(deviceId),
    reset: () => nbi.reset(),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
