// The part of GenieACS's query language the simulator answers: MongoDB filters as lib/query.ts expand()s
// them for devices (a key whose last segment does not start with `_` compares the parameter's `_value`),
// with $and/$or/$eq/$ne/$gt/$gte/$lt/$lte/$in/$nin/$exists, and projections (lib/nbi.ts: a comma list
// of paths, `_id` always kept). Anything else is refused with 400, never silently matched.

export class UnsupportedQueryError extends Error {}

const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(document: unknown, path: string): unknown {
  let node = document;
  for (const segment of path.split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[segment];
  }
  return node;
}

/** Dates are ISO text in the simulator's documents; a query may give them as text too. */
function comparable(value: unknown): number | string | boolean | null | undefined {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return time;
  }
  if (
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    return value;
  }
  return undefined;
}

function equals(left: unknown, right: unknown): boolean {
  return comparable(left) === comparable(right) && comparable(left) !== undefined;
}

function compare(actual: unknown, operator: string, expected: unknown): boolean {
  const candidates = Array.isArray(actual) ? actual : [actual];
  switch (operator) {
    case '$eq':
      return candidates.some((candidate) => equals(candidate, expected));
    case '$ne':
      return !candidates.some((candidate) => equals(candidate, expected));
    case '$in':
    case '$nin': {
      if (!Array.isArray(expected)) throw new UnsupportedQueryError(`${operator} needs an array`);
      const isIn = candidates.some((candidate) => expected.some((item) => equals(candidate, item)));
      return operator === '$in' ? isIn : !isIn;
    }
    case '$exists':
      return (actual !== undefined) === Boolean(expected);
    default: {
      const right = comparable(expected);
      return candidates.some((candidate) => {
        const left = comparable(candidate);
        if (left === undefined || left === null || right === undefined || right === null) return false;
        if (typeof left !== typeof right) return false;
        if (operator === '$gt') return left > right;
        if (operator === '$gte') return left >= right;
        if (operator === '$lt') return left < right;
        return left <= right;
      });
    }
  }
}

function matchesCondition(actual: unknown, condition: unknown): boolean {
  if (!isPlainObject(condition)) return compare(actual, '$eq', condition);
  return Object.entries(condition).every(([operator, expected]) => {
    if (!COMPARISONS.has(operator)) throw new UnsupportedQueryError(`unsupported operator ${operator}`);
    return compare(actual, operator, expected);
  });
}

/**
 * Whether a document matches. `expandParameters`: the devices collection's rule that a parameter path
 * compares its `_value`.
 */
export function matchesQuery(document: unknown, query: unknown, expandParameters: boolean): boolean {
  if (!isPlainObject(query)) throw new UnsupportedQueryError('a query is a JSON object');
  return Object.entries(query).every(([key, condition]) => {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition)) throw new UnsupportedQueryError(`${key} needs an array`);
      const results = condition.map((part) => matchesQuery(document, part, expandParameters));
      return key === '$and' ? results.every(Boolean) : results.some(Boolean);
    }
    if (key.startsWith('$')) throw new UnsupportedQueryError(`unsupported operator ${key}`);
    const lastSegment = key.slice(key.lastIndexOf('.') + 1);
    const path = expandParameters && !lastSegment.startsWith('_') ? `${key}._value` : key;
    return matchesCondition(valueAt(document, path), condition);
  });
}

/** The document cut to `_id` and the projected paths (each with its whole subtree). */
export function project(
  document: Record<string, unknown>,
  paths: readonly string[],
): Record<string, unknown> {
  const projected: Record<string, unknown> = { _id: document._id };
  for (const path of paths) {
    const value = valueAt(document, path);
    if (value === undefined) continue;
    const segments = path.split('.');
    let node = projected;
    for (const segment of segments.slice(0, -1)) {
      if (!isPlainObject(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[segments[segments.length - 1] as string] = value;
  }
  return projected;
}
