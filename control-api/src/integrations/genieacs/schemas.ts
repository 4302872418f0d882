// zod schemas of the GenieACS NBI's wire format (docs/api-reference.rst and lib/nbi.ts,
// lib/api-functions.ts, lib/db/types.ts of genieacs v1.2.16): what we send as tasks and presets, and
// the devices, tasks and faults it answers with (MongoDB documents as JSON: dates as ISO text).
import { z } from 'zod';

/** GenieACS ids are `<OUI>-<ProductClass>-<Serial>` with escapes; far shorter than this in practice. */
export const DEVICE_ID_CHARS_MAX = 256;
/** TR-069 parameter paths are at most 256 characters (TR-106 Section 3.1). */
export const PARAMETER_PATH_CHARS_MAX = 256;
/** A Kiunga task names a handful of parameters; GenieACS itself has no limit, we keep calls small. */
export const TASK_PARAMETERS_MAX = 64;
/** TR-069 string parameters Kiunga writes are at most 256 characters (SSID 32, passphrase 63). */
export const PARAMETER_VALUE_CHARS_MAX = 256;

const parameterPath = z
  .string()
  .min(1)
  .max(PARAMETER_PATH_CHARS_MAX)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.{}*-]*$/, 'a TR-069 parameter path');
/** The xsd types CWMP parameters carry (TR-069 Amendment 6, Table 4 / A.2.1). */
export const XSD_TYPES = [
  'xsd:string',
  'xsd:int',
  'xsd:unsignedInt',
  'xsd:long',
  'xsd:unsignedLong',
  'xsd:boolean',
  'xsd:dateTime',
  'xsd:base64',
  'xsd:hexBinary',
] as const;
export type XsdType = (typeof XSD_TYPES)[number];

/** `[path, value, type?]`, as sanitizeTask accepts it (lib/api-functions.ts: string/boolean/number value). */
export const parameterValueTupleSchema = z.union([
  z.tuple([parameterPath, z.union([z.string().max(PARAMETER_VALUE_CHARS_MAX), z.number(), z.boolean()])]),
  z.tuple([
    parameterPath,
    z.union([z.string().max(PARAMETER_VALUE_CHARS_MAX), z.number(), z.boolean()]),
    z.enum(XSD_TYPES),
  ]),
]);
export type ParameterValueTuple = z.infer<typeof parameterValueTupleSchema>;

/** The tasks Kiunga sends (the NBI also has addObject, deleteObject, download, provisions). */
export const genieAcsTaskSchema = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('getParameterValues'),
    parameterNames: z.array(parameterPath).min(1).max(TASK_PARAMETERS_MAX),
  }),
  z.object({
    name: z.literal('setParameterValues'),
    parameterValues: z.array(parameterValueTupleSchema).min(1).max(TASK_PARAMETERS_MAX),
  }),
  /** An empty objectName refreshes the whole data model (the docs' "refresh all" example). */
  z.object({ name: z.literal('refreshObject'), objectName: z.union([z.literal(''), parameterPath]) }),
  z.object({ name: z.literal('reboot') }),
  z.object({ name: z.literal('factoryReset') }),
]);
export type GenieAcsTask = z.infer<typeof genieAcsTaskSchema>;
export type GenieAcsTaskName = GenieAcsTask['name'];

const isoTime = z.string().max(64);

const deviceIdentitySchema = z.object({
  _Manufacturer: z.string().max(256).optional(),
  _OUI: z.string().max(64).optional(),
  _ProductClass: z.string().max(256).optional(),
  _SerialNumber: z.string().max(256).optional(),
});

/** A device document: the underscore fields, and the parameter tree under its root, kept as it came. */
export const genieAcsDeviceSchema = z.looseObject({
  _id: z.string().min(1).max(DEVICE_ID_CHARS_MAX),
  _deviceId: deviceIdentitySchema.optional(),
  _lastInform: isoTime.optional(),
  _registered: isoTime.optional(),
  _lastBoot: isoTime.optional(),
  _tags: z.array(z.string().max(256)).optional(),
});
export type GenieAcsDevice = z.infer<typeof genieAcsDeviceSchema>;

/** A task as stored (answer of POST …/tasks and GET /tasks/): `_id` is the ObjectId as hex text. */
export const storedTaskSchema = z.looseObject({
  _id: z.string().min(1).max(64),
  name: z.string().max(64),
  device: z.string().max(DEVICE_ID_CHARS_MAX),
  timestamp: isoTime.optional(),
  expiry: isoTime.optional(),
});
export type StoredTask = z.infer<typeof storedTaskSchema>;

/** A fault (lib/db/types.ts Fault): `_id` is `<deviceId>:<channel>`, a task's channel is `task_<taskId>`. */
export const genieAcsFaultSchema = z.looseObject({
  _id: z
    .string()
    .min(1)
    .max(DEVICE_ID_CHARS_MAX + 128),
  device: z.string().max(DEVICE_ID_CHARS_MAX),
  channel: z.string().max(128),
  timestamp: isoTime.optional(),
  retries: z.number().int().nonnegative().optional(),
  code: z.string().max(256),
  message: z.string().max(4096),
  detail: z.unknown().optional(),
});
export type GenieAcsFault = z.infer<typeof genieAcsFaultSchema>;

/** Preset configurations in the format PUT /presets/<name> stores (lib/db/types.ts Configuration). */
export const presetConfigurationSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('value'),
    name: parameterPath,
    value: z.union([z.string(), z.number(), z.boolean()]),
  }),
  z.object({ type: z.literal('age'), name: parameterPath, age: z.number().int().positive() }),
  z.object({ type: z.literal('add_tag'), tag: z.string().min(1).max(256) }),
  z.object({ type: z.literal('delete_tag'), tag: z.string().min(1).max(256) }),
  z.object({
    type: z.literal('provision'),
    name: z.string().min(1).max(128),
    args: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .max(16)
      .optional(),
  }),
]);
export type PresetConfiguration = z.infer<typeof presetConfigurationSchema>;

export const genieAcsPresetSchema = z.object({
  weight: z.number().int(),
  channel: z.string().min(1).max(128).optional(),
  /** CWMP event codes that must (true) or must not (false) be in the session: `{"0 BOOTSTRAP": true}`. */
  events: z.record(z.string().max(64), z.boolean()).optional(),
  /** A JSON-encoded search filter (docs: "a JSON string representation of the search filter"). */
  precondition: z.string().max(4096).optional(),
  configurations: z.array(presetConfigurationSchema).max(64),
  schedule: z.string().max(256).optional(),
});
export type GenieAcsPreset = z.infer<typeof genieAcsPresetSchema>;

/** GET /presets/?projection=_id: each preset's name (its `_id`). */
export const presetNameListSchema = z.array(z.looseObject({ _id: z.string().min(1).max(128) }));
