// CSV by RFC 4180, charts as SVG, reports as PDF: what a spreadsheet, a browser and a printer receive.
import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { layoutChart, niceStep, renderChartSvg } from './charts';
import { csvField, renderCsv } from './csv';
import { salesReportCsv, salesReportPdf } from './report-documents';
import { reportQuerySchema } from './report-query';
import { buildSalesReport } from './sales-report';

const MARCH_1 = Date.UTC(2030, 1, 28, 21);
const MARCH = { fromMs: MARCH_1, toMs: Date.UTC(2030, 2, 31, 21) };
const names = { ispName: 'Kilimani Net', planNames: new Map([['pln_day', 'Day pass, "unlimited"']]) };
const report = buildSalesReport(
  [
    { atMs: MARCH_1 + 60_000, amountCents: cents(5_000), planId: 'pln_day', channel: 'portal_stk' },
    { atMs: MARCH_1 + 86_400_000, amountCents: cents(150_000), planId: null, channel: 'c2b_paybill' },
  ],
  MARCH,
);

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, ends records with CRLF, and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-150)).toBe('-150');
    expect(renderCsv([{ header: 'n', value: (row: number) => row }], [1, 2])).toBe('n\r\n1\r\n2\r\n');
  });

  it('writes the sales report’s rows with readable plan names', () => {
    expect(salesReportCsv(report, names)).toBe(
      'day,planId,plan,channel,count,amountCents\r\n' +
        '2030-03-01,pln_day,"Day pass, ""unlimited""",portal_stk,1,5000\r\n' +
        '2030-03-02,,No plan (account payments),c2b_paybill,1,150000\r\n',
    );
  });
});

describe('charts', () => {
  it('picks round axis steps', () => {
    expect([niceStep(7), niceStep(95), niceStep(1_234_567)]).toEqual([2, 50, 500_000]);
  });

  it('scales bars to the plot and draws an accessible SVG without style attributes', () => {
    const chart = {
      kind: 'bar' as const,
      title: 'Sales <per> day',
      categories: ['03-01', '03-02'],
      series: [{ label: 'Amount', values: [50, 100] }],
      width: 400,
      height: 200,
    };
    const layout = layoutChart(chart);
    expect(layout.bars).toHaveLength(2);
    expect(layout.bars[1]!.height).toBeCloseTo(2 * layout.bars[0]!.height);
    const svg = renderChartSvg(chart);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Sales &#60;per&#62; day"/);
    expect(svg).not.toContain('style=');
    expect(svg.match(/<rect /g)).toHaveLength(3);
  });

  it('refuses series that do not match the categories', () => {
    expect(() =>
      layoutChart({ kind: 'line', title: 't', categories: ['a'], series: [{ label: 's', values: [1, 2] }] }),
    ).toThrow(RangeError);
  });
});

describe('salesReportPdf', () => {
  it('renders a one-page A4 PDF', async () => {
    const pdf = await salesReportPdf(report, names, MARCH);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
  });
});

describe('reportQuerySchema', () => {
  it('takes local dates and a format, json by default', () => {
    expect(reportQuerySchema.parse({ from: '2030-03-01', to: '2030-04-01' })).toEqual({
      range: MARCH,
      format: 'json',
    });
    expect(
      reportQuerySchema.safeParse({ from: '2030-03-01', to: '2030-04-01', format: 'xlsx' }).success,
    ).toBe(false);
  });
});
