// Small, dependency-free SVG building blocks for charts.ts. Every text node and attribute value goes through
// esc(): the charts only ever hold numbers and our own labels, but escaping costs nothing and keeps it so.

export const WIDTH = 720;
export const HEIGHT = 280;
export const PLOT = { left: 72, right: WIDTH - 24, top: 36, bottom: HEIGHT - 44 } as const;

/** Black-and-white print tells series apart by dash pattern and weight, colour only helps on screen. */
export const SERIES = {
  solid: { dash: '', width: 2.2 },
  dashed: { dash: '7 4', width: 1.8 },
  dotted: { dash: '1.5 3', width: 2 },
  dashDot: { dash: '10 3 2 3', width: 1.4 },
  longDash: { dash: '14 5', width: 1.4 },
} as const;
export type SeriesStyle = (typeof SERIES)[keyof typeof SERIES];

export function esc(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Coordinates rounded to 0.1 px: keeps a long run's paths compact. */
export function px(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

export function strokeAttrs(style: SeriesStyle, colour: string): string {
  return `fill="none" stroke="${esc(colour)}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${esc(style.dash)}"` : ''} stroke-linejoin="round" stroke-linecap="round"`;
}

/** The document shell: viewBox so it scales to any width and prints sharp; title and desc for screen readers. */
export function svgDocument(id: string, title: string, desc: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="${esc(id)}-title ${esc(id)}-desc" font-family="system-ui, sans-serif" font-size="14" class="chart">`,
    `<title id="${esc(id)}-title">${esc(title)}</title>`,
    `<desc id="${esc(id)}-desc">${esc(desc)}</desc>`,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="#fff" stroke="#8c959f" stroke-width="1"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

export function text(x: number, y: number, label: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ''}>${esc(label)}</text>`;
}

export function hLine(y: number, attrs: string): string {
  return `<line x1="${PLOT.left}" y1="${px(y)}" x2="${PLOT.right}" y2="${px(y)}" ${attrs}/>`;
}

/** A line series; null values break it, an isolated point gets a short stub so it still shows. */
export function seriesPath(points: ReadonlyArray<readonly [number, number | null]>, x: (v: number) => number, y: (v: number) => number, attrs: string): string {
  const parts: string[] = [];
  let open = false;
  for (let i = 0; i < points.length; i++) {
    const [xv, yv] = points[i] ?? [0, null];
    if (yv === null || !Number.isFinite(yv)) {
      open = false;
      continue;
    }
    const next = points[i + 1]?.[1];
    const isolated = !open && (next === null || next === undefined);
    parts.push(`${open ? 'L' : 'M'}${px(x(xv))} ${px(y(yv))}${isolated ? 'h0.5' : ''}`);
    open = true;
  }
  return parts.length > 0 ? `<path d="${parts.join('')}" ${attrs}/>` : '';
}

/** Legend across the top: a line sample in each series' own dash, then its label. */
export function legend(entries: ReadonlyArray<{ label: string; style: SeriesStyle; colour: string }>): string {
  let x = PLOT.left;
  const out: string[] = [];
  for (const entry of entries) {
    out.push(`<line x1="${x}" y1="17" x2="${x + 28}" y2="17" ${strokeAttrs(entry.style, entry.colour)}/>`);
    out.push(text(x + 34, 22, entry.label));
    x += 48 + entry.label.length * 7.6; // about a character's width at font-size 14
  }
  return out.join('\n');
}

/** A round axis end at or above `value` with about five round steps below it (22 → 25, not 50). */
export function axisTop(value: number): number {
  const step = niceCeil(value / 5);
  return Math.max(step, Math.ceil(value / step - 1e-9) * step);
}

/** 1, 2 or 5 × 10^k at or above `value`: round axis ends and steps. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value - 1e-9 * power) return m * power;
  return 10 * power;
}

/** Time axis along the bottom, in seconds since the run's start; ticks every nice step, about 8 of them. */
export function timeAxis(seconds: number): { x: (t: number) => number; marks: string[] } {
  const span = Math.max(1, seconds);
  const x = (t: number) => PLOT.left + (t / span) * (PLOT.right - PLOT.left);
  const step = niceCeil(span / 8);
  const marks: string[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) {
    marks.push(`<line x1="${px(x(t))}" y1="${PLOT.bottom}" x2="${px(x(t))}" y2="${PLOT.bottom + 4}" stroke="#59636e"/>`);
    marks.push(text(x(t), PLOT.bottom + 18, formatSeconds(t), 'text-anchor="middle"'));
  }
  marks.push(text((PLOT.left + PLOT.right) / 2, HEIGHT - 6, 'time since the start of the run', 'text-anchor="middle" fill="#59636e"'));
  return { x, marks };
}

export function yGrid(y: number, label: string): string[] {
  return [
    `<line x1="${PLOT.left}" y1="${px(y)}" x2="${PLOT.right}" y2="${px(y)}" stroke="#d1d9e0" stroke-width="0.8"/>`,
    text(PLOT.left - 6, y + 5, label, 'text-anchor="end"'),
  ];
}

export function formatSeconds(t: number): string {
  if (t < 120) return `${round(t)} s`;
  if (t < 7200) return `${round(t / 60)} min`;
  return `${round(t / 3600)} h`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${round(ms / 1000)} s` : `${round(ms)} ms`;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
