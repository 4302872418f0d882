// The malformed-drop log: one line per source per minute with the count suppressed, and a cap overall.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  MALFORMED_LOG_LINES_PER_WINDOW_MAX,
  MALFORMED_LOG_WINDOW_MS,
  MalformedDropLog,
} from './malformed-drop-log';

function capturingLog(): { log: MalformedDropLog; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: new MalformedDropLog(pino({ level: 'info' }, stream)), lines };
}

const fromNas = (nasId: string) => ({
  source: nasId,
  address: '192.0.2.1',
  nasId,
  problem: 'bad_password_length',
});

describe('MalformedDropLog', () => {
  it('writes one warning per NAS per minute, then tells how many it suppressed', () => {
    const { log, lines } = capturingLog();
    for (let index = 0; index < 100; index += 1) log.report(fromNas('nas_a'), 1_000 + index);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      nasId: 'nas_a',
      problem: 'bad_password_length',
      suppressed: 0,
    });
    expect(lines[0]).not.toHaveProperty('err');
    log.report(fromNas('nas_a'), 1_000 + MALFORMED_LOG_WINDOW_MS);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ nasId: 'nas_a', suppressed: 99 });
  });

  it('limits each source on its own', () => {
    const { log, lines } = capturingLog();
    log.report(fromNas('nas_a'), 0);
    log.report(fromNas('nas_b'), 1);
    log.report(fromNas('nas_a'), 2);
    expect(lines.map((line) => line.nasId)).toEqual(['nas_a', 'nas_b']);
  });

  it('caps the lines of a minute across sources, and counts the rest on the next line', () => {
    const { log, lines } = capturingLog();
    const spoofed = MALFORMED_LOG_LINES_PER_WINDOW_MAX + 50;
    for (let index = 0; index < spoofed; index += 1) {
      log.report(
        { source: `198.51.100.${index}`, address: `198.51.100.${index}`, nasId: null, problem: 'too_short' },
        10,
      );
    }
    expect(lines).toHaveLength(MALFORMED_LOG_LINES_PER_WINDOW_MAX);
    log.report(fromNas('nas_a'), 10 + MALFORMED_LOG_WINDOW_MS);
    expect(lines.at(-1)).toMatchObject({ nasId: 'nas_a', suppressedElsewhere: 50 });
  });
});
