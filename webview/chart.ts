// The break-even chart's geometry, apart from the DOM so the unit tests check it: monthly cost against monthly
// requests, x on a log scale (the report's curve spans 1/100 to 1000 times the likely volume), y linear and cut at
// twice the dearest container at the likely volume, so the crossings (the point of the chart) stay readable instead
// of being squashed under the functions' costs at 1000 times the traffic. Lines above the cut are clipped, not bent.
import type { PanelCurve } from '../src/protocol';

export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface ChartLine {
  offering: string;
  label: string;
  role: string;
  /** SVG path data in the plot's coordinates. */
  d: string;
}

export interface ChartTick {
  at: number;
  label: string;
}

export interface ChartMarker {
  x: number;
  y: number;
  label: string;
}

export interface ChartGeometry {
  box: ChartBox;
  lines: ChartLine[];
  xTicks: ChartTick[];
  yTicks: ChartTick[];
  /** Where the likely volume is, on the x axis. */
  likelyX: number;
  /** The break-even points inside the plotted range. */
  markers: ChartMarker[];
  yMax: number;
}

const DEFAULT_BOX: ChartBox = { width: 640, height: 280, left: 64, right: 16, top: 12, bottom: 40 };

/** 1, 2, 2.5, 5 × 10^k: the smallest such step that gives at most `count` intervals up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export function compactCount(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function dollars(n: number): string {
  if (n >= 1000) return `$${+(n / 1000).toFixed(1)}k`;
  return `$${+n.toFixed(n < 10 && n % 1 ? 2 : 0)}`;
}

export function chartGeometry(curve: PanelCurve, box: ChartBox = DEFAULT_BOX): ChartGeometry | undefined {
  const xs = curve.requestsPerMonth;
  if (xs.length < 2 || !curve.series.length || xs.some((x) => !(x > 0))) return undefined;
  const x0 = Math.log10(xs[0]!);
  const x1 = Math.log10(xs[xs.length - 1]!);
  if (!(x1 > x0)) return undefined;
  const likelyIndex = Math.max(
    0,
    xs.findIndex((x) => x >= curve.likelyRequestsPerMonth),
  );
  const containers = curve.series.filter((s) => s.role === 'container');
  const atLikely = (containers.length ? containers : curve.series).map((s) => s.monthlyUsd[likelyIndex] ?? 0);
  let top = 2 * Math.max(...atLikely, 0);
  if (!(top > 0)) top = Math.max(...curve.series.flatMap((s) => s.monthlyUsd), 1);
  const step = niceStep(top, 5);
  const yMax = Math.ceil(top / step) * step;
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const px = (v: number): number => box.left + ((Math.log10(v) - x0) / (x1 - x0)) * plotW;
  const py = (usd: number): number => box.top + plotH - (Math.max(0, usd) / yMax) * plotH;
  const r = (n: number): string => n.toFixed(1);
  const lines = curve.series.map((s) => ({
    offering: s.offering,
    label: s.label,
    role: s.role,
    d: xs.map((x, i) => `${i ? 'L' : 'M'}${r(px(x))},${r(py(s.monthlyUsd[i] ?? 0))}`).join(''),
  }));
  const xTicks: ChartTick[] = [];
  for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) xTicks.push({ at: px(10 ** e), label: compactCount(10 ** e) });
  const yTicks: ChartTick[] = [];
  for (let v = 0; v <= yMax + step / 2; v += step) yTicks.push({ at: py(v), label: dollars(v) });
  const markers: ChartMarker[] = [];
  for (const b of curve.breakEven) {
    if (b.requestsPerMonth === null || b.requestsPerMonth <= 0) continue;
    if (b.requestsPerMonth < xs[0]! || b.requestsPerMonth > xs[xs.length - 1]!) continue;
    const usd = interpolate(xs, curve.series.find((s) => s.offering === b.container)?.monthlyUsd, b.requestsPerMonth);
    if (usd === undefined || usd > yMax) continue;
    markers.push({ x: px(b.requestsPerMonth), y: py(usd), label: b.label });
  }
  return { box, lines, xTicks, yTicks, likelyX: px(curve.likelyRequestsPerMonth), markers, yMax };
}

/** The series' value at volume v, linear in log(volume) between the two surrounding points. */
function interpolate(xs: readonly number[], ys: readonly number[] | undefined, v: number): number | undefined {
  if (!ys) return undefined;
  for (let i = 1; i < xs.length; i++) {
    if (v > xs[i]!) continue;
    const a = Math.log10(xs[i - 1]!);
    const b = Math.log10(xs[i]!);
    const t = b > a ? (Math.log10(v) - a) / (b - a) : 0;
    return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
  }
  return ys[ys.length - 1];
}
