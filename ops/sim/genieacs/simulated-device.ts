// One simulated CPE as GenieACS holds it: its parameters, tags and inform times, the document the NBI
// returns for it (lib/cwmp/db.ts layout), and what a CWMP session does to it when a task runs — with the
// CPE's own refusals as CWMP faults (TR-069 Amendment 6, Table 28: 9005, 9006, 9007, 9008).
import type { DeviceFixture, ParameterDefinition } from './fixtures';

export interface StoredParameter extends ParameterDefinition {
  /** GenieACS's copy: what it last read or set (a secret reads back empty after a refresh). */
  value: string | number | boolean;
  /** What the CPE itself holds. */
  cpeValue: string | number | boolean;
  timestamp: number;
}

/** A fault as GenieACS records a CPE's refusal (lib/session.ts: code `cwmp.<faultCode>`). */
export interface CwmpFault {
  readonly code: string;
  readonly message: string;
  readonly detail: { readonly faultCode: string; readonly faultString: string };
}

/** A task as the NBI stores it: its fields, the device, `_id`, `timestamp`, `expiry` (ISO text). */
export type TaskDocument = Record<string, unknown> & { _id: string; name: string; device: string };

function cwmpFault(faultCode: string, faultString: string): CwmpFault {
  return { code: `cwmp.${faultCode}`, message: faultString, detail: { faultCode, faultString } };
}

export class SimulatedDevice {
  readonly id: string;
  isOnline: boolean;
  lastInform: number;
  lastBoot: number;
  readonly registered: number;
  readonly tags: Set<string>;
  readonly parameters = new Map<string, StoredParameter>();
  private readonly fixture: DeviceFixture;

  constructor(fixture: DeviceFixture, now: number) {
    this.fixture = fixture;
    this.id = fixture.id;
    this.isOnline = fixture.isOnline;
    this.lastInform = now - fixture.lastInformAgoMs;
    this.lastBoot = this.lastInform;
    this.registered = now - 30 * 24 * 60 * 60 * 1000;
    this.tags = new Set(fixture.tags);
    this.loadParameters(this.lastInform);
  }

  /** The NBI's JSON of the device: underscore fields, then the parameter tree. */
  document(): Record<string, unknown> {
    const document: Record<string, unknown> = {
      _id: this.id,
      _deviceId: {
        _Manufacturer: this.fixture.manufacturer,
        _OUI: this.fixture.oui,
        _ProductClass: this.fixture.productClass,
        _SerialNumber: this.fixture.serialNumber,
      },
      _lastInform: new Date(this.lastInform).toISOString(),
      _lastBoot: new Date(this.lastBoot).toISOString(),
      _registered: new Date(this.registered).toISOString(),
    };
    if (this.tags.size > 0) document._tags = [...this.tags];
    for (const [path, parameter] of this.parameters) {
      const segments = path.split('.');
      let node = document;
      for (const segment of segments.slice(0, -1)) {
        node[segment] ??= {
          _object: true,
          _writable: false,
          _timestamp: new Date(parameter.timestamp).toISOString(),
        };
        node = node[segment] as Record<string, unknown>;
      }
      node[segments[segments.length - 1] as string] = {
        _value: parameter.value,
        _type: parameter.type,
        _writable: parameter.isWritable,
        _timestamp: new Date(parameter.timestamp).toISOString(),
      };
    }
    return document;
  }

  /** Runs one task in a session at `now`; a fault when the CPE refuses it (nothing then changes). */
  runTask(task: TaskDocument, now: number): CwmpFault | null {
    this.lastInform = now;
    switch (task.name) {
      case 'getParameterValues':
        return this.refresh(task.parameterNames as string[], now);
      case 'refreshObject':
        return this.refresh([task.objectName as string], now);
      case 'setParameterValues':
        return this.setValues(task.parameterValues as [string, unknown, string?][], now);
      case 'reboot':
        this.reboot(now);
        return null;
      case 'factoryReset':
        this.loadParameters(now);
        this.reboot(now);
        return null;
      default:
        return cwmpFault('9000', `Method not supported: ${task.name}`);
    }
  }

  private loadParameters(timestamp: number): void {
    this.parameters.clear();
    for (const [path, definition] of Object.entries(this.fixture.parameters)) {
      this.parameters.set(path, { ...definition, cpeValue: definition.value, timestamp });
    }
  }

  private reboot(now: number): void {
    this.lastBoot = now;
    for (const [path, parameter] of this.parameters) {
      if (path.endsWith('.DeviceInfo.UpTime')) {
        parameter.value = 0;
        parameter.cpeValue = 0;
      }
    }
  }

  private hasPath(name: string): boolean {
    const path = name.replace(/\.$/, '');
    if (path === '' || this.parameters.has(path)) return true;
    for (const known of this.parameters.keys()) if (known.startsWith(`${path}.`)) return true;
    return false;
  }

  private refresh(names: readonly string[], now: number): CwmpFault | null {
    const unknown = names.find((name) => !this.hasPath(name));
    if (unknown !== undefined) return cwmpFault('9005', `Invalid parameter name: ${unknown}`);
    for (const [path, parameter] of this.parameters) {
      if (
        names.some((name) => name === '' || path === name || path.startsWith(`${name.replace(/\.$/, '')}.`))
      ) {
        parameter.value = parameter.isSecret === true ? '' : parameter.cpeValue;
        parameter.timestamp = now;
      }
    }
    return null;
  }

  /** SetParameterValues is all or nothing (TR-069 A.3.2.1): every value is checked before any is applied. */
  private setValues(values: readonly [string, unknown, string?][], now: number): CwmpFault | null {
    for (const [path, value, type] of values) {
      const fault = this.refusalOf(path, value, type);
      if (fault !== null) return fault;
    }
    for (const [path, value] of values) {
      const parameter = this.parameters.get(path) as StoredParameter;
      parameter.value = value as string | number | boolean;
      parameter.cpeValue = parameter.value;
      parameter.timestamp = now;
    }
    return null;
  }

  private refusalOf(path: string, value: unknown, type: string | undefined): CwmpFault | null {
    const parameter = this.parameters.get(path);
    if (parameter === undefined) return cwmpFault('9005', `Invalid parameter name: ${path}`);
    if (!parameter.isWritable) return cwmpFault('9008', `Attempt to set a non-writable parameter: ${path}`);
    if (type !== undefined && type !== parameter.type) {
      return cwmpFault('9006', `Invalid parameter type: ${path} is ${parameter.type}, not ${type}`);
    }
    if (parameter.type === 'xsd:string') {
      if (typeof value !== 'string')
        return cwmpFault('9006', `Invalid parameter type: ${path} takes a string`);
      const length = Buffer.byteLength(value, 'utf8');
      const isTooShort = parameter.lengthMin !== undefined && length < parameter.lengthMin;
      const isTooLong = parameter.lengthMax !== undefined && length > parameter.lengthMax;
      if (isTooShort || isTooLong) return cwmpFault('9007', `Invalid parameter value: ${path}`);
    }
    if (parameter.type === 'xsd:unsignedInt') {
      const number = typeof value === 'string' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 0xffffffff) {
        return cwmpFault('9007', `Invalid parameter value: ${path}`);
      }
    }
    return null;
  }
}
