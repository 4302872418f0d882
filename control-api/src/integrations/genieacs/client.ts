// A typed client of GenieACS's northbound REST API (genieacs-nbi, port 7557), over got as the design
// card chose. Paths, status codes and bodies follow docs/api-reference.rst and lib/nbi.ts of genieacs
// v1.2.16: GET /devices/?query=&projection=, POST /devices/<id>/tasks?connection_request&timeout=
// (200 = done, 202 = queued for the next inform, 202 "Task faulted"), tags, presets, provisions, faults.
import got, { CancelError, type Method, TimeoutError } from 'got';
import type { z } from 'zod';
import { GenieAcsError } from './errors';
import {
  type GenieAcsDevice,
  type GenieAcsFault,
  type GenieAcsPreset,
  type GenieAcsTask,
  genieAcsDeviceSchema,
  genieAcsFaultSchema,
  genieAcsPresetSchema,
  genieAcsTaskSchema,
  type ParameterValueTuple,
  presetNameListSchema,
  type StoredTask,
  storedTaskSchema,
} from './schemas';

/** A plain NBI call (a query, a tag, a preset) answers in well under a second; 10 s means GenieACS is stuck. */
export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * How long the NBI waits for the CPE to open a session after the connection request (its `timeout`
 * parameter; the API reference's examples use 3000, GenieACS's cwmp.deviceOnlineThreshold default is 4000).
 */
export const ONLINE_WAIT_MS = 3_000;
/**
 * The whole task call: the NBI then waits for the session to end (up to its own 120 s). A reboot or a
 * handful of SetParameterValues finishes in seconds on a live CPE; past this a technician is told the
 * outcome is unknown, and the task stays queued in GenieACS.
 */
export const TASK_CALL_TIMEOUT_MS = 40_000;
/** A full TR-181 device document is a few hundred kB; a page of projected summaries about 1 MB. */
export const RESPONSE_BYTES_MAX = 8 * 1024 * 1024;
/** Devices per query: a console page, or one batch of a sync job that pages with `skip`. */
export const DEVICES_PAGE_SIZE_MAX = 500;
/** A provision script Kiunga writes is a few kB; GenieACS compiles whatever it is given. */
export const PROVISION_SCRIPT_CHARS_MAX = 64 * 1024;
/** Errors GenieACS writes as text are short; we keep this much in messages. */
const ACS_MESSAGE_CHARS_MAX = 300;
/** Preset and provision names: plain words, so they read the same in GenieACS's UI. */
const RESOURCE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** Tags Kiunga sets (tenant and plan markers); GenieACS accepts more, we keep them URL- and UI-safe. */
const TAG = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface GenieAcsClientOptions {
  /** The NBI's base URL (`http://acs.example:7557`); a path prefix behind a proxy is kept. */
  readonly baseUrl: string;
  /** Basic auth of the proxy in front of the NBI (the NBI itself has none); both or neither. */
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly timeoutMs?: number;
  readonly taskTimeoutMs?: number;
  readonly onlineWaitMs?: number;
  readonly responseBytesMax?: number;
}

export interface DeviceQuery {
  /** A MongoDB-style filter on device fields (`{"_tags": "…"}`, `{"_id": "…"}`); all devices when absent. */
  readonly query?: Readonly<Record<string, unknown>>;
  /** Parameter paths to return (and their subtrees); the whole document when absent. */
  readonly projection?: readonly string[];
  readonly limit?: number;
  readonly skip?: number;
}

export interface DevicePage {
  readonly devices: GenieAcsDevice[];
  /** GenieACS's `total` header: matches of the query, all pages together. */
  readonly total: number | null;
}

export type TaskStatus = 'done' | 'queued' | 'faulted';

export interface TaskOutcome {
  /**
   * done: ran in a session the connection request opened (HTTP 200). queued: kept for the next inform
   * (202, the device offline or busy). faulted: ran and failed; the fault is `<device>:task_<id>`.
   */
  readonly status: TaskStatus;
  readonly task: StoredTask;
}

export interface TaskOptions {
  /** Ask the CPE to connect now (default); false only queues the task for the next periodic inform. */
  readonly connectionRequest?: boolean;
  /** Seconds after which GenieACS drops the task if it never ran (a reboot should not fire days later). */
  readonly expirySeconds?: number;
}

interface Answer {
  readonly status: number;
  readonly statusMessage: string;
  readonly text: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

interface CallOptions {
  readonly searchParams?: URLSearchParams;
  readonly body?: string;
  readonly contentType?: string;
  readonly timeoutMs?: number;
}

/** A URL path segment as GenieACS's route patterns accept it: everything but [A-Za-z0-9_-] as %XX. */
export function encodePathSegment(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const character = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9_-]/.test(character)
      ? character
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

export class GenieAcsClient {
  private readonly baseUrl: string;
  private readonly credentials: { username: string; password: string } | undefined;
  private readonly timeoutMs: number;
  private readonly taskTimeoutMs: number;
  private readonly onlineWaitMs: number;
  private readonly responseBytesMax: number;

  constructor(options: GenieAcsClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError('the GenieACS NBI URL must be http:// or https://');
    }
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    const hasUsername = Boolean(options.username);
    if (hasUsername !== Boolean(options.password)) {
      throw new RangeError('give both username and password for the GenieACS NBI, or neither');
    }
    this.credentials = hasUsername
      ? { username: options.username as string, password: options.password as string }
      : undefined;
    this.timeoutMs = positiveInteger(options.timeoutMs ?? REQUEST_TIMEOUT_MS, 'timeoutMs');
    this.taskTimeoutMs = positiveInteger(options.taskTimeoutMs ?? TASK_CALL_TIMEOUT_MS, 'taskTimeoutMs');
    this.onlineWaitMs = positiveInteger(options.onlineWaitMs ?? ONLINE_WAIT_MS, 'onlineWaitMs');
    this.responseBytesMax = positiveInteger(
      options.responseBytesMax ?? RESPONSE_BYTES_MAX,
      'responseBytesMax',
    );
  }

  /** GET /devices/?query=&projection=&limit=&skip= */
  async listDevices(request: DeviceQuery = {}): Promise<DevicePage> {
    const limit = request.limit ?? DEVICES_PAGE_SIZE_MAX;
    if (!Number.isInteger(limit) || limit < 1 || limit > DEVICES_PAGE_SIZE_MAX) {
      throw new GenieAcsError('invalid_request', `ask for 1 to ${DEVICES_PAGE_SIZE_MAX} devices at a time`);
    }
    const searchParams = new URLSearchParams({ query: JSON.stringify(request.query ?? {}) });
    if (request.projection !== undefined && request.projection.length > 0) {
      searchParams.set('projection', request.projection.join(','));
    }
    searchParams.set('limit', String(limit));
    if (request.skip !== undefined && request.skip > 0) searchParams.set('skip', String(request.skip));
    const answer = await this.call('GET', '/devices/', { searchParams });
    this.expectStatus(answer, [200], 'query devices');
    const devices = this.parseJson(answer, genieAcsDeviceSchema.array(), 'device list');
    const totalHeader = answer.headers.total;
    const total = typeof totalHeader === 'string' && /^\d+$/.test(totalHeader) ? Number(totalHeader) : null;
    return { devices, total };
  }

  /** One device by GenieACS `_id`, or null when GenieACS does not know it. */
  async getDevice(deviceId: string, projection?: readonly string[]): Promise<GenieAcsDevice | null> {
    const page = await this.listDevices({
      query: { _id: deviceId },
      limit: 1,
      ...(projection === undefined ? {} : { projection }),
    });
    return page.devices[0] ?? null;
  }

  /** POST /devices/<id>/tasks[?connection_request&timeout=]: one task, done now or queued. */
  async runTask(deviceId: string, task: GenieAcsTask, options: TaskOptions = {}): Promise<TaskOutcome> {
    const parsed = genieAcsTaskSchema.safeParse(task);
    if (!parsed.success) {
      throw new GenieAcsError('invalid_request', `not a valid ${task.name} task: ${parsed.error.message}`);
    }
    const body: Record<string, unknown> = { ...parsed.data };
    if (options.expirySeconds !== undefined) {
      body.expiry = positiveInteger(options.expirySeconds, 'expirySeconds');
    }
    const searchParams = new URLSearchParams();
    const isConnectionRequest = options.connectionRequest ?? true;
    if (isConnectionRequest) {
      searchParams.set('connection_request', '');
      searchParams.set('timeout', String(this.onlineWaitMs));
    }
    const answer = await this.call('POST', `/devices/${encodePathSegment(deviceId)}/tasks`, {
      searchParams,
      body: JSON.stringify(body),
      contentType: 'application/json',
      timeoutMs: isConnectionRequest ? this.taskTimeoutMs : this.timeoutMs,
    });
    this.expectStatus(answer, [200, 202], `run ${task.name} on ${deviceId}`);
    const stored = this.parseJson(answer, storedTaskSchema, 'task');
    const status: TaskStatus =
      answer.status === 200 ? 'done' : answer.statusMessage === 'Task faulted' ? 'faulted' : 'queued';
    return { status, task: stored };
  }

  reboot(deviceId: string, options?: TaskOptions): Promise<TaskOutcome> {
    return this.runTask(deviceId, { name: 'reboot' }, options);
  }

  factoryReset(deviceId: string, options?: TaskOptions): Promise<TaskOutcome> {
    return this.runTask(deviceId, { name: 'factoryReset' }, options);
  }

  setParameterValues(
    deviceId: string,
    parameterValues: ParameterValueTuple[],
    options?: TaskOptions,
  ): Promise<TaskOutcome> {
    return this.runTask(deviceId, { name: 'setParameterValues', parameterValues }, options);
  }

  getParameterValues(
    deviceId: string,
    parameterNames: string[],
    options?: TaskOptions,
  ): Promise<TaskOutcome> {
    return this.runTask(deviceId, { name: 'getParameterValues', parameterNames }, options);
  }

  refreshObject(deviceId: string, objectName: string, options?: TaskOptions): Promise<TaskOutcome> {
    return this.runTask(deviceId, { name: 'refreshObject', objectName }, options);
  }

  /** GET /tasks/?query={"device": id}: the tasks still waiting for the device (pending in the console). */
  async listPendingTasks(deviceId: string): Promise<StoredTask[]> {
    const searchParams = new URLSearchParams({ query: JSON.stringify({ device: deviceId }) });
    const answer = await this.call('GET', '/tasks/', { searchParams });
    this.expectStatus(answer, [200], 'list tasks');
    return this.parseJson(answer, storedTaskSchema.array(), 'task list');
  }

  /** DELETE /tasks/<id>: withdraw a queued task (503 while the device is in a session). */
  async deleteTask(taskId: string): Promise<void> {
    if (!/^[0-9a-f]{24}$/.test(taskId))
      throw new GenieAcsError('invalid_request', 'a task id is 24 hex digits');
    const answer = await this.call('DELETE', `/tasks/${taskId}`);
    this.expectStatus(answer, [200], `delete task ${taskId}`);
  }

  /** POST /devices/<id>/tags/<tag> (no effect when already tagged). */
  async addTag(deviceId: string, tag: string): Promise<void> {
    await this.changeTag('POST', deviceId, tag);
  }

  /** DELETE /devices/<id>/tags/<tag>. */
  async removeTag(deviceId: string, tag: string): Promise<void> {
    await this.changeTag('DELETE', deviceId, tag);
  }

  /** PUT /presets/<name>: create or replace. */
  async putPreset(name: string, preset: GenieAcsPreset): Promise<void> {
    const parsed = genieAcsPresetSchema.safeParse(preset);
    if (!parsed.success)
      throw new GenieAcsError('invalid_request', `not a valid preset: ${parsed.error.message}`);
    const answer = await this.call('PUT', `/presets/${resourceName(name)}`, {
      body: JSON.stringify(parsed.data),
      contentType: 'application/json',
    });
    this.expectStatus(answer, [200], `store preset ${name}`);
  }

  /** GET /presets/?query=&projection=_id: the names of the presets the query matches (Kiunga's by channel). */
  async listPresetNames(query: Readonly<Record<string, unknown>> = {}): Promise<string[]> {
    const searchParams = new URLSearchParams({ query: JSON.stringify(query), projection: '_id' });
    const answer = await this.call('GET', '/presets/', { searchParams });
    this.expectStatus(answer, [200], 'list presets');
    return this.parseJson(answer, presetNameListSchema, 'preset list').map((preset) => preset._id);
  }

  async deletePreset(name: string): Promise<void> {
    const answer = await this.call('DELETE', `/presets/${resourceName(name)}`);
    this.expectStatus(answer, [200], `delete preset ${name}`);
  }

  /** PUT /provisions/<name>: the script is the body; GenieACS answers 400 when it does not compile. */
  async putProvision(name: string, script: string): Promise<void> {
    if (script.length === 0 || script.length > PROVISION_SCRIPT_CHARS_MAX) {
      throw new GenieAcsError(
        'invalid_request',
        `a provision script has 1 to ${PROVISION_SCRIPT_CHARS_MAX} characters`,
      );
    }
    const answer = await this.call('PUT', `/provisions/${resourceName(name)}`, {
      body: script,
      contentType: 'application/javascript',
    });
    this.expectStatus(answer, [200], `store provision ${name}`);
  }

  async deleteProvision(name: string): Promise<void> {
    const answer = await this.call('DELETE', `/provisions/${resourceName(name)}`);
    this.expectStatus(answer, [200], `delete provision ${name}`);
  }

  /** GET /faults/?query=: faults of one device when `deviceId` is given. */
  async listFaults(deviceId?: string): Promise<GenieAcsFault[]> {
    const query = deviceId === undefined ? {} : { device: deviceId };
    const searchParams = new URLSearchParams({ query: JSON.stringify(query) });
    const answer = await this.call('GET', '/faults/', { searchParams });
    this.expectStatus(answer, [200], 'list faults');
    return this.parseJson(answer, genieAcsFaultSchema.array(), 'fault list');
  }

  /** DELETE /faults/<device>:<channel>; a task's fault takes the task with it (lib/api-functions.ts). */
  async deleteFault(faultId: string): Promise<void> {
    const answer = await this.call('DELETE', `/faults/${encodePathSegment(faultId)}`);
    this.expectStatus(answer, [200], `delete fault ${faultId}`);
  }

  private async changeTag(method: 'POST' | 'DELETE', deviceId: string, tag: string): Promise<void> {
    if (!TAG.test(tag))
      throw new GenieAcsError('invalid_request', 'a tag is 1 to 128 letters, digits or _.:-');
    const path = `/devices/${encodePathSegment(deviceId)}/tags/${encodePathSegment(tag)}`;
    const answer = await this.call(method, path);
    this.expectStatus(answer, [200], `${method === 'POST' ? 'tag' : 'untag'} ${deviceId}`);
  }

  private async call(method: Method, path: string, options: CallOptions = {}): Promise<Answer> {
    const url = new URL(`${this.baseUrl}${path}`);
    if (options.searchParams !== undefined) url.search = options.searchParams.toString();
    const request = got(url, {
      method,
      ...(options.body === undefined ? {} : { body: options.body }),
      headers: {
        accept: 'application/json',
        ...(options.contentType === undefined ? {} : { 'content-type': options.contentType }),
      },
      ...(this.credentials ?? {}),
      timeout: { request: options.timeoutMs ?? this.timeoutMs },
      retry: { limit: 0 },
      followRedirect: false,
      throwHttpErrors: false,
      responseType: 'text',
    });
    request.on('downloadProgress', (progress) => {
      const isTooLarge =
        progress.transferred > this.responseBytesMax ||
        (progress.total !== undefined && progress.total > this.responseBytesMax);
      if (isTooLarge) request.cancel('answer too large');
    });
    try {
      const response = await request;
      return {
        status: response.statusCode,
        statusMessage: response.statusMessage ?? '',
        text: response.body,
        headers: response.headers,
      };
    } catch (error) {
      throw translateFailure(error, this.responseBytesMax);
    }
  }

  private expectStatus(answer: Answer, expected: readonly number[], action: string): void {
    if (expected.includes(answer.status)) return;
    const acsMessage = answer.text.trim().slice(0, ACS_MESSAGE_CHARS_MAX);
    const details = { httpStatus: answer.status, ...(acsMessage === '' ? {} : { acsMessage }) };
    const suffix = acsMessage === '' ? '' : `: ${acsMessage}`;
    if (answer.status === 404)
      throw new GenieAcsError('not_found', `GenieACS could not ${action}${suffix}`, details);
    if (answer.status === 401 || answer.status === 403) {
      throw new GenieAcsError('authentication', 'the GenieACS NBI refused the username or password', details);
    }
    if (answer.status === 400) {
      throw new GenieAcsError('invalid_request', `GenieACS refused to ${action}${suffix}`, details);
    }
    throw new GenieAcsError('http', `GenieACS answered HTTP ${answer.status} to ${action}${suffix}`, details);
  }

  private parseJson<T>(answer: Answer, schema: z.ZodType<T>, what: string): T {
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch (cause) {
      throw new GenieAcsError('invalid_response', `the GenieACS ${what} is not JSON`, {
        httpStatus: answer.status,
        cause,
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new GenieAcsError('invalid_response', `the GenieACS ${what} is not in the documented shape`, {
        httpStatus: answer.status,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}

function translateFailure(error: unknown, responseBytesMax: number): GenieAcsError {
  if (error instanceof CancelError) {
    return new GenieAcsError(
      'invalid_response',
      `the GenieACS answer is larger than ${responseBytesMax} bytes`,
    );
  }
  if (error instanceof TimeoutError) {
    return new GenieAcsError(
      'timeout',
      'GenieACS did not answer in time; a task may still have been queued',
      {
        cause: error,
      },
    );
  }
  return new GenieAcsError('network', 'the connection to the GenieACS NBI failed', { cause: error });
}

function resourceName(name: string): string {
  if (!RESOURCE_NAME.test(name)) {
    throw new GenieAcsError(
      'invalid_request',
      'preset and provision names are 1 to 128 letters, digits, _ or -',
    );
  }
  return name;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
