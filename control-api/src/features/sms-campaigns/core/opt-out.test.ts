// Inbound SMS read as STOP/START in the ways people type them, and not in sentences.
import { describe, expect, it } from 'vitest';
import { parseInboundIntent } from './opt-out';

describe('parseInboundIntent', () => {
  it('reads STOP and its variants in any case, with punctuation, politeness or a name', () => {
    for (const text of [
      'STOP',
      'stop',
      ' Stop! ',
      'STOP ALL',
      'stopall',
      'Opt-out',
      'opt out',
      'UNSUBSCRIBE',
      'please stop',
      'STOP KIUNGA',
      'Acha',
      'sitaki',
      'Tafadhali acha',
    ]) {
      expect(parseInboundIntent(text), text).toBe('opt_out');
    }
  });

  it('reads START and its variants as opting back in', () => {
    for (const text of ['START', 'start.', 'Unstop', 'opt in', 'Anza'])
      expect(parseInboundIntent(text), text).toBe('opt_in');
  });

  it('leaves sentences and other words for people to read', () => {
    for (const text of [
      "Don't stop my internet",
      'stop charging me twice please',
      'STOPPED',
      'my line is down',
      '',
      '!!!',
    ]) {
      expect(parseInboundIntent(text), text).toBeNull();
    }
  });
});
