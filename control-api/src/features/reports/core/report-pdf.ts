// A printable report as PDF (pdfkit): title, period, a chart, and the table with its totals, paginated.
import PDFDocument from 'pdfkit';
import { type ChartInput, layoutChart } from './charts';

export interface PdfTableColumn {
  readonly header: string;
  /** Share of the table's width, 0..1; the shares add up to 1. */
  readonly widthShare: number;
  readonly align?: 'left' | 'right';
}

export interface ReportPdfInput {
  readonly title: string;
  /** "Kilimani Net · 1 to 31 March 2030" */
  readonly subtitle: string;
  readonly chart: ChartInput | null;
  readonly columns: readonly PdfTableColumn[];
  /** Cells already formatted for reading. */
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly totals: readonly string[] | null;
}

/** A4 with a 15 mm margin: prints on any office printer. */
const PAGE = { size: 'A4' as const, margin: 42 };
const ROW_HEIGHT = 16;
const FONT_SIZE = 9;
const CHART_HEIGHT = 200;

export function renderReportPdf(input: ReportPdfInput): Promise<Buffer> {
  const document = new PDFDocument({ size: PAGE.size, margin: PAGE.margin, info: { Title: input.title } });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });
  const left = PAGE.margin;
  const width = document.page.width - 2 * PAGE.margin;
  document.font('Helvetica-Bold').fontSize(16).text(input.title, left, PAGE.margin);
  document.font('Helvetica').fontSize(10).fillColor('#555').text(input.subtitle).fillColor('#000');
  let y = document.y + 12;
  if (input.chart !== null) {
    drawChart(document, { ...input.chart, width, height: CHART_HEIGHT }, left, y);
    y += CHART_HEIGHT + 16;
  }
  const drawRow = (cells: readonly string[], isBold: boolean) => {
    if (y + ROW_HEIGHT > document.page.height - PAGE.margin) {
      document.addPage();
      y = PAGE.margin;
    }
    document.font(isBold ? 'Helvetica-Bold' : 'Helvetica').fontSize(FONT_SIZE);
    let x = left;
    input.columns.forEach((column, index) => {
      const cellWidth = column.widthShare * width;
      document.text(cells[index] ?? '', x + 2, y + 4, {
        width: cellWidth - 4,
        align: column.align ?? 'left',
        lineBreak: false,
      });
      x += cellWidth;
    });
    document
      .moveTo(left, y + ROW_HEIGHT)
      .lineTo(left + width, y + ROW_HEIGHT)
      .strokeColor('#ddd')
      .stroke();
    y += ROW_HEIGHT;
  };
  drawRow(
    input.columns.map((column) => column.header),
    true,
  );
  for (const row of input.rows) drawRow(row, false);
  if (input.totals !== null) drawRow(input.totals, true);
  document.end();
  return done;
}

/** The same layout the SVG uses, drawn with PDF vector primitives. */
function drawChart(document: PDFKit.PDFDocument, chart: ChartInput, originX: number, originY: number): void {
  const layout = layoutChart(chart);
  const at = (x: number, y: number) => [originX + x, originY + y] as const;
  document
    .font('Helvetica-Bold')
    .fontSize(10)
    .fillColor('#111')
    .text(layout.title, ...at(layout.plot.left, 4));
  document.font('Helvetica').fontSize(7);
  for (const tick of layout.yTicks) {
    document
      .moveTo(...at(layout.plot.left, tick.y))
      .lineTo(...at(layout.plot.right, tick.y))
      .strokeColor('#ddd')
      .stroke();
    document
      .fillColor('#555')
      .text(tick.label, ...at(0, tick.y - 4), { width: layout.plot.left - 6, align: 'right' });
  }
  for (const bar of layout.bars) document.rect(...at(bar.x, bar.y), bar.width, bar.height).fill(bar.colour);
  for (const line of layout.lines) {
    const [first, ...rest] = line.points;
    if (first === undefined) continue;
    document.moveTo(...at(first[0], first[1]));
    for (const [x, y] of rest) document.lineTo(...at(x, y));
    document.strokeColor(line.colour).lineWidth(1.5).stroke().lineWidth(1);
  }
  for (const label of layout.xLabels) {
    document
      .fillColor('#555')
      .text(label.label, ...at(label.x - 30, layout.plot.bottom + 6), { width: 60, align: 'center' });
  }
  layout.legend.forEach((entry, index) => {
    const [x, y] = at(layout.plot.left + index * 140, layout.height - 12);
    document.rect(x, y, 8, 8).fill(entry.colour);
    document.fillColor('#333').text(entry.label, x + 12, y);
  });
  document.fillColor('#000');
}
