// Small bar and line charts drawn on the server: one layout, rendered as SVG (pages) or into a PDF.
//
// No chart library: a report page stays a few kilobytes and works without JavaScript. The SVG uses
// presentation attributes only (no style attributes), so the console's Content-Security-Policy
// applies unchanged.

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly number[];
}

export interface ChartInput {
  readonly kind: 'bar' | 'line';
  readonly title: string;
  readonly categories: readonly string[];
  /** At most CHART_SERIES_MAX; each with one value per category. */
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
  /** How an axis value reads ("Ksh 1,500", "2.5 GB"); plain numbers by default. */
  readonly formatValue?: (value: number) => string;
}

/** Three series stay readable in a small chart; more belong in a table. */
export const CHART_SERIES_MAX = 3;
/** Category labels shown along the x axis; the others are skipped evenly so they never overlap. */
export const CATEGORY_LABELS_MAX = 12;
/** Colour-blind-safe (Okabe–Ito) blue, orange, green. */
export const CHART_COLOURS = ['#0072b2', '#e69f00', '#009e73'] as const;
const DEFAULT_SIZE = { width: 640, height: 240 };
const MARGIN = { top: 28, right: 12, bottom: 36, left: 64 };
const TICK_TARGET = 4;

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly plot: {
    readonly left: number;
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
  };
  readonly yTicks: ReadonlyArray<{ readonly y: number; readonly label: string }>;
  readonly xLabels: ReadonlyArray<{ readonly x: number; readonly label: string }>;
  readonly bars: ReadonlyArray<{
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly colour: string;
  }>;
  readonly lines: ReadonlyArray<{
    readonly points: ReadonlyArray<readonly [number, number]>;
    readonly colour: string;
  }>;
  readonly legend: ReadonlyArray<{ readonly label: string; readonly colour: string }>;
}

/** A step of 1, 2 or 5 × 10^k giving about TICK_TARGET ticks up to `maximum`. */
export function niceStep(maximum: number): number {
  if (maximum <= 0) return 1;
  const rough = maximum / TICK_TARGET;
  const power = 10 ** Math.floor(Math.log10(rough));
  const multiple = [1, 2, 5, 10].find((candidate) => candidate * power >= rough) ?? 10;
  return multiple * power;
}

export function layoutChart(input: ChartInput): ChartLayout {
  if (input.series.length === 0 || input.series.length > CHART_SERIES_MAX) {
    throw new RangeError(`a chart has 1 to ${CHART_SERIES_MAX} series`);
  }
  if (input.series.some((series) => series.values.length !== input.categories.length)) {
    throw new RangeError('every series has one value per category');
  }
  const width = input.width ?? DEFAULT_SIZE.width;
  const height = input.height ?? DEFAULT_SIZE.height;
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: width - MARGIN.right,
    bottom: height - MARGIN.bottom,
  };
  const format = input.formatValue ?? ((value: number) => String(value));
  const maximum = Math.max(0, ...input.series.flatMap((series) => series.values));
  const step = niceStep(maximum);
  const top = Math.max(step, Math.ceil(maximum / step) * step);
  const yOf = (value: number) => plot.bottom - (Math.max(0, value) / top) * (plot.bottom - plot.top);
  const yTicks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => ({
    y: yOf(index * step),
    label: format(index * step),
  }));
  const slot = (plot.right - plot.left) / Math.max(1, input.categories.length);
  const xCentre = (index: number) => plot.left + slot * (index + 0.5);
  const labelEvery = Math.max(1, Math.ceil(input.categories.length / CATEGORY_LABELS_MAX));
  const xLabels = input.categories
    .map((label, index) => ({ x: xCentre(index), label }))
    .filter((_, index) => index % labelEvery === 0);
  const colourOf = (index: number) => CHART_COLOURS[index] ?? CHART_COLOURS[0];
  const barWidth = (slot * 0.8) / input.series.length;
  const bars =
    input.kind !== 'bar'
      ? []
      : input.series.flatMap((series, seriesIndex) =>
          series.values.map((value, index) => ({
            x: plot.left + slot * index + slot * 0.1 + barWidth * seriesIndex,
            y: yOf(value),
            width: barWidth,
            height: plot.bottom - yOf(value),
            colour: colourOf(seriesIndex),
          })),
        );
  const lines =
    input.kind !== 'line'
      ? []
      : input.series.map((series, seriesIndex) => ({
          points: series.values.map((value, index) => [xCentre(index), yOf(value)] as const),
          colour: colourOf(seriesIndex),
        }));
  const legend = input.series.map((series, index) => ({ label: series.label, colour: colourOf(index) }));
  return { width, height, title: input.title, plot, yTicks, xLabels, bars, lines, legend };
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const round = (value: number) => Math.round(value * 10) / 10;

/** An accessible inline SVG (role="img", a title) of the chart. */
export function renderChartSvg(input: ChartInput): string {
  const layout = layoutChart(input);
  const { plot } = layout;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="${escapeXml(layout.title)}">`,
    `<title>${escapeXml(layout.title)}</title>`,
    `<text x="${plot.left}" y="16" font-size="13" font-family="sans-serif" font-weight="600" fill="#111">${escapeXml(layout.title)}</text>`,
    ...layout.yTicks.map(
      (tick) =>
        `<line x1="${plot.left}" x2="${plot.right}" y1="${round(tick.y)}" y2="${round(tick.y)}" stroke="#ddd"/><text x="${plot.left - 6}" y="${round(tick.y) + 4}" font-size="10" font-family="sans-serif" text-anchor="end" fill="#555">${escapeXml(tick.label)}</text>`,
    ),
    ...layout.bars.map(
      (bar) =>
        `<rect x="${round(bar.x)}" y="${round(bar.y)}" width="${round(bar.width)}" height="${round(bar.height)}" fill="${bar.colour}"/>`,
    ),
    ...layout.lines.map(
      (line) =>
        `<polyline fill="none" stroke="${line.colour}" stroke-width="2" points="${line.points.map(([x, y]) => `${round(x)},${round(y)}`).join(' ')}"/>`,
    ),
    ...layout.xLabels.map(
      (label) =>
        `<text x="${round(label.x)}" y="${plot.bottom + 14}" font-size="10" font-family="sans-serif" text-anchor="middle" fill="#555">${escapeXml(label.label)}</text>`,
    ),
    ...layout.legend.map(
      (entry, index) =>
        `<rect x="${plot.left + index * 140}" y="${layout.height - 14}" width="10" height="10" fill="${entry.colour}"/><text x="${plot.left + index * 140 + 14}" y="${layout.height - 5}" font-size="10" font-family="sans-serif" fill="#333">${escapeXml(entry.label)}</text>`,
    ),
    '</svg>',
  ];
  return parts.join('');
}
