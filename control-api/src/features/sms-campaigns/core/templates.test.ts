// Templates: parsing with the variables people type, refusing unknown ones, rendering per recipient.
import { describe, expect, it } from 'vitest';
import { parseTemplate, type RecipientFacts, renderTemplate } from './templates';

const facts: RecipientFacts = {
  name: 'Wanjiru',
  planName: 'Home 10 Mbps',
  expiresAtMs: Date.UTC(2026, 1, 3, 11, 5, 40),
  amountDueCents: 150_000,
  accountNumber: 'ACC-1042',
};
const context = { paybill: '522533' };

function parsed(source: string) {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('; '));
  return result.template;
}

describe('parseTemplate', () => {
  it('finds each variable once, with aliases and spacing people use', () => {
    const template = parsed(
      'Hi {{ Name }}, {{plan}} ends {{expiry}}; pay {{balance}} to {{paybill}} a/c {{account_number}} {{name}}',
    );
    expect(template.variables).toEqual(['name', 'plan', 'expiry', 'balance', 'paybill', 'accountNumber']);
  });

  it('refuses an unknown variable, naming the ones there are', () => {
    const result = parseTemplate('Hello {{firstname}}!');
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          offset: 6,
          message:
            '{{firstname}} is not a variable: use {{name}}, {{plan}}, {{expiry}}, {{balance}}, {{accountNumber}}, {{paybill}}.',
        },
      ],
    });
  });

  it('refuses unclosed and stray braces, empty placeholders and an empty message', () => {
    const messages = (source: string) => {
      const result = parseTemplate(source);
      return result.ok ? [] : result.problems.map((problem) => problem.message);
    };
    expect(messages('Hi {{name')).toEqual(['{{ is not closed: write variables as {{name}}.']);
    expect(messages('Hi {name}}')).toEqual(['}} closes no {{: write variables as {{name}}.']);
    expect(messages('Hi {{}}')[0]).toMatch(/^\{\{\}\} is not a variable/);
    expect(messages('   ')).toEqual(['Write the message first.']);
    expect(messages(`{{name|${'x'.repeat(41)}}}`)[0]).toMatch(/fallback/);
    expect(messages('Single {braces} are text')).toEqual([]);
  });
});

describe('renderTemplate', () => {
  it('fills the recipient’s values: expiry in Nairobi time, the amount due in shillings', () => {
    const template = parsed(
      '{{name}}: {{plan}} ends {{expiry}}. Pay {{balance}} to paybill {{paybill}}, account {{accountNumber}}.',
    );
    expect(renderTemplate(template, facts, context)).toEqual({
      ok: true,
      text: 'Wanjiru: Home 10 Mbps ends 3 Feb 2026 14:05. Pay Ksh 1,500 to paybill 522533, account ACC-1042.',
    });
  });

  it('uses a fallback for a missing value, and reports a missing value without one', () => {
    const template = parsed('Hello {{name|customer}}, your balance is {{balance}}.');
    expect(renderTemplate(template, { ...facts, name: '  ' }, context)).toEqual({
      ok: true,
      text: 'Hello customer, your balance is Ksh 1,500.',
    });
    expect(renderTemplate(template, { ...facts, amountDueCents: null }, context)).toEqual({
      ok: false,
      missing: ['balance'],
    });
    expect(renderTemplate(template, { ...facts, amountDueCents: -30_000 }, context)).toMatchObject({
      text: 'Hello Wanjiru, your balance is Ksh 0.',
    });
  });
});
