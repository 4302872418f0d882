// A strict reader of the RouterOS commands Kiunga's scripts use, for tests: every line must parse (quotes,
// brackets and braces balanced, strings escaped), name a known menu and action, and give only arguments
// and values that RouterOS 7 takes. The argument tables below come from MikroTik's RouterOS v7 CLI
// reference (manual.mikrotik.com/docs/cli-reference: radius, ip/hotspot, ip/firewall/filter, ip/firewall/nat,
// ip/firewall/address-list, ip/proxy, ppp) and the Scripting page; anything outside them is refused, so
// the tests are at least as strict as the router.

type ValueRule =
  | { kind: 'text' }
  | { kind: 'yes-no' }
  | { kind: 'port' }
  | { kind: 'time' }
  | { kind: 'ip' }
  | { kind: 'one-of'; values: readonly string[] }
  | { kind: 'set-of'; values: readonly string[] };

interface MenuRules {
  actions: readonly string[];
  arguments: Readonly<Record<string, ValueRule>>;
}

const text: ValueRule = { kind: 'text' };
const yesNo: ValueRule = { kind: 'yes-no' };
const port: ValueRule = { kind: 'port' };
const time: ValueRule = { kind: 'time' };
const oneOf = (...values: string[]): ValueRule => ({ kind: 'one-of', values });
const setOf = (...values: string[]): ValueRule => ({ kind: 'set-of', values });
/** Arguments every list item takes (comment, placement) and `find` may match on. */
const COMMON_ARGUMENTS = { comment: text, disabled: yesNo, dynamic: yesNo, 'place-before': text };
const FIREWALL_MATCHERS = {
  chain: text,
  'jump-target': text,
  protocol: text,
  'dst-port': port,
  'src-address-list': text,
  'dst-address-list': text,
  'src-address': text,
  'dst-address': text,
};

const MENUS: Readonly<Record<string, MenuRules>> = {
  '/radius': {
    actions: ['add', 'set', 'remove', 'find'],
    arguments: {
      service: setOf('ppp', 'login', 'hotspot', 'wireless', 'dhcp', 'ipsec', 'dot1x'),
      address: { kind: 'ip' },
      secret: text,
      'authentication-port': port,
      'accounting-port': port,
      timeout: time,
      'require-message-auth': oneOf('no', 'yes-for-request-resp'),
    },
  },
  '/radius incoming': { actions: ['set'], arguments: { accept: yesNo, port } },
  '/ip hotspot profile': {
    actions: ['set', 'find'],
    arguments: {
      'use-radius': yesNo,
      'radius-accounting': yesNo,
      'radius-interim-update': text,
      'login-by': setOf('mac', 'cookie', 'http-chap', 'https', 'http-pap', 'trial', 'mac-cookie'),
      'dns-name': text,
      'ssl-certificate': text,
    },
  },
  '/ip hotspot walled-garden': {
    actions: ['add', 'remove', 'find'],
    arguments: { 'dst-host': text, 'dst-port': port, path: text, action: oneOf('allow', 'deny') },
  },
  '/ip hotspot walled-garden ip': {
    actions: ['add', 'remove', 'find'],
    arguments: {
      'dst-host': text,
      'dst-address': { kind: 'ip' },
      protocol: text,
      'dst-port': port,
      action: oneOf('accept', 'drop', 'reject'),
    },
  },
  '/ppp aaa': {
    actions: ['set'],
    arguments: { 'use-radius': yesNo, accounting: yesNo, 'interim-update': time },
  },
  '/ip firewall filter': {
    actions: ['add', 'remove', 'find'],
    arguments: {
      ...FIREWALL_MATCHERS,
      action: oneOf(
        'accept',
        'jump',
        'return',
        'log',
        'passthrough',
        'add-src-to-address-list',
        'add-dst-to-address-list',
        'drop',
        'reject',
        'tarpit',
        'fasttrack-connection',
      ),
    },
  },
  '/ip firewall nat': {
    actions: ['add', 'remove', 'find'],
    arguments: {
      ...FIREWALL_MATCHERS,
      'to-ports': port,
      'to-addresses': text,
      action: oneOf(
        'accept',
        'jump',
        'return',
        'passthrough',
        'src-nat',
        'masquerade',
        'dst-nat',
        'redirect',
      ),
    },
  },
  '/ip firewall address-list': {
    actions: ['add', 'remove', 'find'],
    arguments: { list: text, address: text },
  },
  '/ip proxy': { actions: ['set', 'get'], arguments: { enabled: yesNo, port } },
  '/ip proxy access': {
    actions: ['add', 'remove', 'find'],
    arguments: {
      'local-port': port,
      action: oneOf('allow', 'deny', 'redirect', 'url-append'),
      'action-data': text,
    },
  },
};

const CLOSER_OF: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** Splits one line into words; a quoted string or a (), [] or {} group stays inside its word. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  const closers: string[] = [];
  let isInString = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index] ?? '';
    if (isInString) {
      if (character === '\\') {
        const next = line[index + 1];
        if (next === undefined) throw new Error('a backslash ends the line');
        word += character + next;
        index += 1;
        continue;
      }
      if (character === '$' || character === '?') throw new Error(`unescaped ${character} in a string`);
      if (character === '"') isInString = false;
      word += character;
      continue;
    }
    if (character === '"') isInString = true;
    else if (character === '(' || character === '[' || character === '{')
      closers.push(CLOSER_OF[character] ?? '');
    else if (character === ')' || character === ']' || character === '}') {
      if (closers.pop() !== character) throw new Error(`unbalanced ${character}`);
    } else if (character === ' ' && closers.length === 0) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    word += character;
  }
  if (isInString) throw new Error('a string is not closed');
  if (closers.length > 0) throw new Error(`missing ${closers.reverse().join('')}`);
  if (word) words.push(word);
  return words;
}

function inner(group: string, open: string, close: string): string {
  if (!group.startsWith(open) || !group.endsWith(close))
    throw new Error(`expected ${open}…${close}: ${group}`);
  return group.slice(1, -1).trim();
}

function isValueValid(rule: ValueRule, value: string): boolean {
  const bare = value.startsWith('!') ? value.slice(1) : value;
  switch (rule.kind) {
    case 'text':
      return bare.length > 0;
    case 'yes-no':
      return bare === 'yes' || bare === 'no';
    case 'port':
      return /^\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*$/.test(bare);
    case 'time':
      return /^(\d+(ms|s|m|h|d|w))+$/.test(bare);
    case 'ip':
      return /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i.test(bare);
    case 'one-of':
      return rule.values.includes(bare);
    case 'set-of':
      return bare.split(',').every((item) => rule.values.includes(item));
  }
}

function checkArgument(menu: string, rules: MenuRules, word: string): void {
  const equals = word.indexOf('=');
  if (equals <= 0) throw new Error(`${menu}: expected name=value, got ${word}`);
  const name = word.slice(0, equals);
  const value = word.slice(equals + 1);
  const rule = rules.arguments[name] ?? (COMMON_ARGUMENTS as Record<string, ValueRule>)[name];
  if (!rule) throw new Error(`${menu} has no argument ${name}`);
  if (value.startsWith('[')) {
    checkStatement(inner(value, '[', ']'), menu);
    return;
  }
  const unquoted = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  if (!isValueValid(rule, unquoted)) throw new Error(`${menu} ${name}: RouterOS does not take ${value}`);
}

const ACTIONS = ['add', 'set', 'remove', 'find', 'get'];

function checkMenuCommand(words: string[], currentMenu: string | null): void {
  const actionIndex = words.findIndex((word) => ACTIONS.includes(word));
  const pathWords = words.slice(0, Math.max(actionIndex, 0));
  const menu = pathWords.length > 0 ? pathWords.join(' ') : currentMenu;
  if (!menu || actionIndex < 0) throw new Error(`not a command: ${words.join(' ')}`);
  const rules = MENUS[menu];
  if (!rules) throw new Error(`unknown menu ${menu}`);
  const action = words[actionIndex] ?? '';
  if (!rules.actions.includes(action)) throw new Error(`${menu} has no ${action}`);
  let rest = words.slice(actionIndex + 1);
  if (action === 'get') {
    const property = rest[0] ?? '';
    if (rest.length !== 1 || !(property in rules.arguments))
      throw new Error(`${menu} get: ${rest.join(' ')}`);
    return;
  }
  if ((action === 'remove' || action === 'set') && rest[0]?.startsWith('[')) {
    checkStatement(inner(rest[0], '[', ']'), menu);
    rest = rest.slice(1);
  }
  if (action === 'remove' && rest.length > 0) throw new Error(`${menu} remove takes only the items`);
  if (action === 'find' && rest[0] === 'where') rest = rest.slice(1);
  for (const word of rest) checkArgument(menu, rules, word);
}

/** The outermost [ ] groups in an expression such as `([:len [find]] > 0)`. */
function bracketGroups(expression: string): string[] {
  const groups: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < expression.length; index += 1) {
    if (expression[index] === '[') {
      if (depth === 0) start = index;
      depth += 1;
    } else if (expression[index] === ']') {
      depth -= 1;
      if (depth === 0) groups.push(expression.slice(start, index + 1));
    }
  }
  return groups;
}

function checkBlock(word: string | undefined, prefix: string): void {
  if (!word?.startsWith(prefix)) throw new Error(`expected ${prefix}{…}`);
  checkStatement(inner(word.slice(prefix.length), '{', '}'), null);
}

function checkGlobalCommand(words: string[], currentMenu: string | null): void {
  const [command, ...rest] = words;
  switch (command) {
    case ':do':
      checkBlock(rest[0], '');
      checkBlock(rest[1], 'on-error=');
      if (rest.length !== 2) throw new Error(':do {…} on-error={…} only');
      return;
    case ':if':
      for (const group of bracketGroups(inner(rest[0] ?? '', '(', ')')))
        checkStatement(inner(group, '[', ']'), currentMenu);
      checkBlock(rest[1], 'do=');
      if (rest[2] !== undefined) checkBlock(rest[2], 'else=');
      if (rest.length > 3) throw new Error(`:if: unexpected ${rest.slice(3).join(' ')}`);
      return;
    case ':put':
    case ':error':
      if (rest.length !== 1 || !rest[0]?.startsWith('"')) throw new Error(`${command} takes one string`);
      return;
    case ':len':
    case ':tostr':
    case ':pick':
      for (const word of rest) if (word.startsWith('[')) checkStatement(inner(word, '[', ']'), currentMenu);
      return;
    default:
      throw new Error(`unknown command ${command}`);
  }
}

function checkStatement(statement: string, currentMenu: string | null): void {
  const words = splitWords(statement);
  if (words.length === 0) return;
  if (words[0]?.startsWith(':')) checkGlobalCommand(words, currentMenu);
  else checkMenuCommand(words, currentMenu);
}

/** Every problem RouterOS would have with the script, one per line (empty when it would take it all). */
export function findRouterosProblems(script: string): string[] {
  const problems: string[] = [];
  script.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    try {
      checkStatement(trimmed, null);
    } catch (error) {
      problems.push(`line ${index + 1}: ${(error as Error).message}`);
    }
  });
  return problems;
}
