/** A named series of (x, y) points; null y values are gaps. */
export interface ChartSeries {
  name: string;
  points: [number, number | null][];
}

/** Layout of a chart panel, pixels. */
const PANEL = { width: 520, height: 300, left: 56, right: 130, top: 30, bottom: 40 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const TICKS = 5;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : Number(v.toPrecision(3)).toString());

/** One line-chart panel as an SVG <g> at vertical offset `y0` (pixels). */
export function lineChartPanel(title: string, xLabel: string, series: ChartSeries[], y0 = 0, yRange?: [number, number]): string {
  const { width, height, left, right, top, bottom } = PANEL;
  const pts = series.flatMap((s) => s.points.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1])));
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [xMin, xMax] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [yMin, yMax] = yRange ?? (ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1]);
  if (yMax === yMin) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const pw = width - left - right;
  const ph = height - top - bottom;
  const sx = (x: number) => left + (xMax === xMin ? pw / 2 : ((x - xMin) / (xMax - xMin)) * pw);
  const sy = (y: number) => y0 + top + ph - ((y - yMin) / (yMax - yMin)) * ph;
  const parts: string[] = [`<text x="${left}" y="${y0 + 18}" font-size="14" font-weight="bold">${esc(title)}</text>`];
  parts.push(`<rect x="${left}" y="${y0 + top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  for (let i = 0; i <= TICKS; i++) {
    const yv = yMin + ((yMax - yMin) * i) / TICKS;
    const xv = xMin + ((xMax - xMin) * i) / TICKS;
    parts.push(`<line x1="${left}" x2="${left + pw}" y1="${sy(yv)}" y2="${sy(yv)}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 6}" y="${sy(yv) + 4}" font-size="10" text-anchor="end">${fmt(yv)}</text>`);
    parts.push(`<text x="${sx(xv)}" y="${y0 + top + ph + 14}" font-size="10" text-anchor="middle">${fmt(xv)}</text>`);
  }
  parts.push(`<text x="${left + pw / 2}" y="${y0 + height - 6}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>`);
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    // Gaps (null) split the polyline into runs.
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${run.join(' ')}"/>`);
      if (run.length === 1) parts.push(`<circle cx="${run[0].split(',')[0]}" cy="${run[0].split(',')[1]}" r="2" fill="${color}"/>`);
      run = [];
    };
    for (const [x, y] of s.points) {
      if (y === null || !Number.isFinite(y)) flush();
      else run.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    }
    flush();
    const ly = y0 + top + 12 + 16 * k;
    parts.push(`<line x1="${left + pw + 10}" x2="${left + pw + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${left + pw + 34}" y="${ly}" font-size="11">${esc(s.name)}</text>`);
  });
  return `<g>${parts.join('')}</g>`;
}

/** A standalone SVG stacking panels vertically. */
export function stackedChartsSvg(panels: { title: string; xLabel: string; series: ChartSeries[]; yRange?: [number, number] }[]): string {
  const body = panels.map((p, i) => lineChartPanel(p.title, p.xLabel, p.series, i * PANEL.height, p.yRange)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PANEL.width}" height="${PANEL.height * panels.length}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}
