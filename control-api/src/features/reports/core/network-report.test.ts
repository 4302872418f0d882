// The network report: traffic and sessions per NAS, and uptime from its quiet periods.
import { describe, expect, it } from 'vitest';
import { buildNetworkReport, coveredMs } from './network-report';

const HOUR_MS = 3_600_000;
const MARCH_1 = Date.UTC(2030, 1, 28, 21);
const DAY = { fromMs: MARCH_1, toMs: MARCH_1 + 24 * HOUR_MS };

describe('buildNetworkReport', () => {
  it('reports traffic, sessions and uptime per NAS and for the network', () => {
    const report = buildNetworkReport(
      [
        {
          nasId: 'nas_a',
          name: 'Kilimani tower',
          inputOctets: 100,
          outputOctets: 900,
          sessionSeconds: 7_200,
          sessionsStarted: 12,
          // Quiet 01:00–02:00 and, overlapping, 01:30–03:00: 2 hours down.
          quietIntervals: [
            { fromMs: MARCH_1 + HOUR_MS, toMs: MARCH_1 + 2 * HOUR_MS },
            { fromMs: MARCH_1 + 1.5 * HOUR_MS, toMs: MARCH_1 + 3 * HOUR_MS },
          ],
        },
        {
          nasId: 'nas_b',
          name: 'Rongai',
          inputOctets: 5,
          outputOctets: 50,
          sessionSeconds: 60,
          sessionsStarted: 1,
          quietIntervals: [],
        },
      ],
      DAY,
    );
    expect(report.rows.map((row) => [row.nasId, row.downMinutes, row.uptimePercent])).toEqual([
      ['nas_a', 120, 91.66],
      ['nas_b', 0, 100],
    ]);
    expect(report.totals).toEqual({
      inputOctets: 105,
      outputOctets: 950,
      sessionSeconds: 7_260,
      sessionsStarted: 13,
      downMinutes: 120,
      uptimePercent: 95.83,
    });
  });

  it('counts a still-quiet NAS as down to the end of the range, and nothing outside it', () => {
    expect(coveredMs([{ fromMs: MARCH_1 + 23 * HOUR_MS, toMs: null }], DAY)).toBe(HOUR_MS);
    expect(coveredMs([{ fromMs: MARCH_1 - 5 * HOUR_MS, toMs: MARCH_1 - HOUR_MS }], DAY)).toBe(0);
  });
});
