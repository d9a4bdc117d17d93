// @ts-check
// The accuracy trend as an inline SVG line chart (count rate and amount rate per closed period). Rates are decimal
// strings; they become numbers only to place points on the drawing, never for arithmetic on money. The chart has a
// title and a description, distinguishes the series by marker and dash (not colour alone), and the page shows the
// same figures as a table next to it.
import { h, round } from './ui.js';

const W = 640;
const H = 280;
const M = { top: 20, right: 24, bottom: 44, left: 56 };

export function trendChart(points, { id = 'trend-chart' } = {}) {
  const values = points.flatMap((p) => [p.count, p.dollar]).filter((v) => v !== null && v !== undefined).map(Number);
  const lowest = values.length ? Math.min(...values, 100) : 0;
  const lo = Math.max(Math.min(Math.floor(lowest / 10) * 10, 90), lowest < 0 ? Math.floor(lowest / 10) * 10 : 0);
  const hi = Math.max(100, ...values.map((v) => Math.ceil(v)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i) => M.left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v) => M.top + plotH - ((Number(v) - lo) / (hi - lo || 1)) * plotH;

  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const desc = points.length
    ? points.map((p) => `${p.period}: count ${p.count === null ? 'n/a' : `${round(p.count, 2)}%`}, amount ${p.dollar === null ? 'n/a' : `${round(p.dollar, 2)}%`}`).join('; ')
    : 'No closed period yet.';

  const grid = [];
  const steps = 5;
  for (let k = 0; k <= steps; k++) {
    const v = lo + ((hi - lo) * k) / steps;
    const yy = y(v);
    grid.push(
      h('line', { x1: M.left, x2: W - M.right, y1: yy, y2: yy, stroke: '#c9d1d9', 'stroke-width': 1 }),
      h('text', { x: M.left - 8, y: yy + 4, 'text-anchor': 'end', 'font-size': 12, fill: '#1a1a1a' }, `${Math.round(v * 10) / 10}%`),
    );
  }
  const xLabels = points.map((p, i) => h('text', { x: x(i), y: H - M.bottom + 20, 'text-anchor': 'middle', 'font-size': 12, fill: '#1a1a1a' }, p.period));

  const series = (key, color, dash, marker) => {
    const pts = points.map((p, i) => (p[key] === null || p[key] === undefined ? null : [x(i), y(p[key]), p])).filter(Boolean);
    return h(
      'g',
      { class: `series-${key}` },
      pts.length > 1 ? h('polyline', { points: pts.map(([a, b]) => `${a},${b}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2.5, 'stroke-dasharray': dash }) : null,
      pts.map(([a, b, p]) =>
        marker === 'circle'
          ? h('circle', { cx: a, cy: b, r: 5, fill: color }, h('title', {}, `${p.period}: ${round(p[key], 2)}% (count)`))
          : h('rect', { x: a - 5, y: b - 5, width: 10, height: 10, fill: color }, h('title', {}, `${p.period}: ${round(p[key], 2)}% (amount)`)),
      ),
    );
  };

  return h(
    'svg',
    { id, class: 'chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-labelledby': `${titleId} ${descId}` },
    h('title', { id: titleId }, 'Commission accuracy by closed period (count and amount rates, percent)'),
    h('desc', { id: descId }, desc),
    grid,
    h('line', { x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom, stroke: '#1a1a1a' }),
    h('line', { x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom, stroke: '#1a1a1a' }),
    xLabels,
    series('count', '#0b4f9c', null, 'circle'),
    series('dollar', '#b33c00', '6 4', 'square'),
  );
}
