// The task checks GenieACS makes before it stores a task (sanitizeTask in lib/api-functions.ts,
// v1.2.16), returning the message it throws; null when the task would be stored.

const KNOWN_TASKS = new Set([
  'getParameterValues',
  'setParameterValues',
  'refreshObject',
  'deleteObject',
  'addObject',
  'download',
  'provisions',
  'reboot',
  'factoryReset',
]);
/** The tasks whose effect the simulated CPEs model; the others are refused rather than faked. */
const SIMULATED_TASKS = new Set([
  'getParameterValues',
  'setParameterValues',
  'refreshObject',
  'reboot',
  'factoryReset',
]);

function isParameterValue(entry: unknown): boolean {
  if (!Array.isArray(entry) || entry.length < 2) return false;
  const [path, value, type] = entry as unknown[];
  return (
    typeof path === 'string' &&
    path.length > 0 &&
    ['string', 'boolean', 'number'].includes(typeof value) &&
    (type === undefined || type === null || typeof type === 'string')
  );
}

export function validateTask(task: Record<string, unknown>): string | null {
  const name = task.name;
  if (typeof name !== 'string' || !KNOWN_TASKS.has(name)) return 'Invalid task name';
  if (task.expiry !== undefined && (typeof task.expiry !== 'number' || task.expiry <= 0)) {
    return 'Invalid expiry (the simulator takes seconds)';
  }
  switch (name) {
    case 'getParameterValues': {
      const names = task.parameterNames;
      if (!Array.isArray(names) || names.length === 0) return "Missing 'parameterNames' property";
      const invalid = names.find((entry) => typeof entry !== 'string' || entry.length === 0);
      return invalid === undefined ? null : `Invalid parameter name '${String(invalid)}'`;
    }
    case 'setParameterValues': {
      const values = task.parameterValues;
      if (!Array.isArray(values) || values.length === 0) return "Missing 'parameterValues' property";
      const invalid = values.find((entry) => !isParameterValue(entry));
      return invalid === undefined ? null : `Invalid parameter value '${String(invalid)}'`;
    }
    case 'refreshObject':
      return typeof task.objectName === 'string' ? null : "Missing 'objectName' property";
    default:
      return SIMULATED_TASKS.has(name) ? null : `simulator: ${name} tasks are not simulated`;
  }
}
