// SMS templates with variables: `Hello {{name|customer}}, your {{plan}} ends {{expiry}}. Pay {{balance}}
// to paybill {{paybill}}, account {{accountNumber}}.` Parsed once when saved (an unknown variable is
// refused there), rendered per recipient when a campaign is previewed or planned.
import { formatKsh } from '@kiunga/schemas';
import { SMS_MESSAGE_CHARS_MAX } from '../../../integrations/sms/client';
import { nairobiDateTime } from '../../shared/nairobi-time';

export const TEMPLATE_VARIABLES = ['name', 'plan', 'expiry', 'balance', 'accountNumber', 'paybill'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** A template longer than the longest message the SMS client sends cannot render into one. */
export const TEMPLATE_CHARS_MAX = SMS_MESSAGE_CHARS_MAX;
/** "customer", "mteja": a word or two; a longer fallback belongs in the text. */
export const FALLBACK_CHARS_MAX = 40;
/** Problems reported at once: enough to fix a template, not a wall of text. */
const PROBLEMS_MAX = 10;

const OPEN = '{{';
const CLOSE = '}}';

/** What people type for a variable, folded: `{{Account_Number}}` is `{{accountNumber}}`. */
const VARIABLE_BY_FOLDED_NAME: ReadonlyMap<string, TemplateVariable> = new Map(
  TEMPLATE_VARIABLES.map((variable) => [variable.toLowerCase(), variable]),
);

export type TemplateSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: TemplateVariable; readonly fallback: string | null };

export interface ParsedTemplate {
  readonly source: string;
  readonly segments: readonly TemplateSegment[];
  /** Each variable used, once, in order of first use. */
  readonly variables: readonly TemplateVariable[];
}

export interface TemplateProblem {
  /** Index in the source (UTF-16), for the editor to point at. */
  readonly offset: number;
  readonly message: string;
}

export type TemplateParse =
  | { readonly ok: true; readonly template: ParsedTemplate }
  | { readonly ok: false; readonly problems: readonly TemplateProblem[] };

const KNOWN_LIST = TEMPLATE_VARIABLES.map((variable) => `{{${variable}}}`).join(', ');

function parsePlaceholder(
  inner: string,
  offset: number,
  problems: TemplateProblem[],
): TemplateSegment | null {
  const bar = inner.indexOf('|');
  const typed = (bar === -1 ? inner : inner.slice(0, bar)).trim();
  const fallback = bar === -1 ? null : inner.slice(bar + 1).trim();
  const name = VARIABLE_BY_FOLDED_NAME.get(typed.replace(/[\s_]/g, '').toLowerCase());
  if (name === undefined) {
    const shown = typed === '' ? '{{}}' : `{{${typed}}}`;
    problems.push({ offset, message: `${shown} is not a variable: use ${KNOWN_LIST}.` });
    return null;
  }
  if (fallback !== null && (fallback.length > FALLBACK_CHARS_MAX || /[{}|]/.test(fallback))) {
    problems.push({
      offset,
      message: `The fallback of {{${name}}} is at most ${FALLBACK_CHARS_MAX} characters, without braces or bars.`,
    });
    return null;
  }
  return { kind: 'variable', name, fallback: fallback === '' ? null : fallback };
}

export function parseTemplate(source: string): TemplateParse {
  const problems: TemplateProblem[] = [];
  if (source.trim() === '') problems.push({ offset: 0, message: 'Write the message first.' });
  if (source.length > TEMPLATE_CHARS_MAX) {
    problems.push({
      offset: TEMPLATE_CHARS_MAX,
      message: `A message has at most ${TEMPLATE_CHARS_MAX} characters.`,
    });
  }
  const segments: TemplateSegment[] = [];
  let position = 0;
  while (position < source.length && problems.length < PROBLEMS_MAX) {
    const open = source.indexOf(OPEN, position);
    const strayClose = source.indexOf(CLOSE, position);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      problems.push({ offset: strayClose, message: '}} closes no {{: write variables as {{name}}.' });
    }
    if (open === -1) {
      segments.push({ kind: 'text', text: source.slice(position) });
      break;
    }
    if (open > position) segments.push({ kind: 'text', text: source.slice(position, open) });
    const close = source.indexOf(CLOSE, open + OPEN.length);
    const nextOpen = source.indexOf(OPEN, open + OPEN.length);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      problems.push({ offset: open, message: '{{ is not closed: write variables as {{name}}.' });
      position = open + OPEN.length;
      continue;
    }
    const segment = parsePlaceholder(source.slice(open + OPEN.length, close), open, problems);
    if (segment !== null) segments.push(segment);
    position = close + CLOSE.length;
  }
  if (problems.length > 0) return { ok: false, problems: problems.slice(0, PROBLEMS_MAX) };
  const variables = [
    ...new Set(segments.flatMap((segment) => (segment.kind === 'variable' ? [segment.name] : []))),
  ];
  return { ok: true, template: { source, segments, variables } };
}

/** What is known of one recipient; null where the store has nothing. */
export interface RecipientFacts {
  readonly name: string | null;
  readonly planName: string | null;
  readonly expiresAtMs: number | null;
  /** What the recipient owes now; `{{balance}}` prints it, a credit as Ksh 0. */
  readonly amountDueCents: number | null;
  readonly accountNumber: string | null;
}

/** The same for every recipient of a campaign. */
export interface CampaignContext {
  /** The ISP's M-Pesa paybill or till number. */
  readonly paybill: string | null;
}

function variableValue(
  variable: TemplateVariable,
  facts: RecipientFacts,
  context: CampaignContext,
): string | null {
  const text = (value: string | null) => (value === null || value.trim() === '' ? null : value.trim());
  switch (variable) {
    case 'name':
      return text(facts.name);
    case 'plan':
      return text(facts.planName);
    case 'expiry':
      return facts.expiresAtMs === null ? null : nairobiDateTime(facts.expiresAtMs);
    case 'balance':
      return facts.amountDueCents === null ? null : formatKsh(Math.max(facts.amountDueCents, 0));
    case 'accountNumber':
      return text(facts.accountNumber);
    case 'paybill':
      return text(context.paybill);
  }
}

export type TemplateRender =
  | { readonly ok: true; readonly text: string }
  /** Variables without a value for this recipient and without a fallback: the recipient is skipped. */
  | { readonly ok: false; readonly missing: readonly TemplateVariable[] };

export function renderTemplate(
  template: ParsedTemplate,
  facts: RecipientFacts,
  context: CampaignContext,
): TemplateRender {
  let text = '';
  const missing: TemplateVariable[] = [];
  for (const segment of template.segments) {
    if (segment.kind === 'text') {
      text += segment.text;
      continue;
    }
    const value = variableValue(segment.name, facts, context) ?? segment.fallback;
    if (value === null) {
      if (!missing.includes(segment.name)) missing.push(segment.name);
      continue;
    }
    text += value;
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, text };
}
