// A small stacked bar chart in SVG: one column per time bucket, one coloured segment per series,
// a y axis with round ticks, sparse x labels, a legend, and a native tooltip per column.
import {el, svg, fill} from './dom.js';

const HEIGHT = 220;
const PAD = {top: 10, right: 10, bottom: 26, left: 38};

/**
 * @param container element to draw into (its width is used)
 * @param labels    one x label per column
 * @param series    [{key, label, color, values: [number per column]}], drawn bottom-up in this order
 */
export function stackedBars(container, labels, series, {empty = 'No data in this period.'} = {}) {
  const width = Math.max(320, container.clientWidth || 600);
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] || 0), 0));
  const max = Math.max(0, ...totals);
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] || 1;
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, labels.length);
  const barW = Math.max(1, Math.min(28, step * 0.72));
  const y = (v) => PAD.top + plotH - (v / top) * plotH;

  const chart = svg('svg', {
    class: 'chart-svg', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img',
    'aria-label': series.map((s) => `${s.label} ${sum(s.values)}`).join(', '),
  });
  for (const t of ticks) {
    chart.append(
      svg('line', {class: 'grid', x1: PAD.left, x2: width - PAD.right, y1: y(t), y2: y(t)}),
      svg('text', {class: 'axis', x: PAD.left - 6, y: y(t) + 4, 'text-anchor': 'end'}, formatTick(t)));
  }
  const every = Math.ceil(labels.length / Math.max(1, Math.floor(plotW / 54)));
  labels.forEach((label, i) => {
    const x = PAD.left + i * step + (step - barW) / 2;
    const column = svg('g', {class: 'column', 'data-index': i});
    let base = 0;
    for (const s of series) {
      const v = s.values[i] || 0;
      if (v > 0) {
        column.append(svg('rect', {
          x, width: barW, y: y(base + v), height: Math.max(0.5, y(base) - y(base + v)), fill: s.color,
          'data-series': s.key, 'data-value': v,
        }));
      }
      base += v;
    }
    // A transparent full-height target so the tooltip shows over short and empty columns too.
    column.append(svg('rect', {class: 'hit', x: PAD.left + i * step, width: step, y: PAD.top, height: plotH},
      svg('title', null, [label, ...series.filter((s) => s.values[i]).map((s) => `${s.label}: ${s.values[i]}`)]
        .join('\n') + (totals[i] ? '' : '\nnothing'))));
    chart.append(column);
    if (i % every === 0) {
      chart.append(svg('text', {class: 'axis', x: PAD.left + i * step + step / 2, y: HEIGHT - 8,
        'text-anchor': 'middle'}, label));
    }
  });
  chart.append(svg('line', {class: 'baseline', x1: PAD.left, x2: width - PAD.right, y1: y(0), y2: y(0)}));

  const shown = series.filter((s) => sum(s.values) > 0);
  fill(container,
    chart,
    max === 0 ? el('p', {class: 'chart-empty muted'}, empty) : null,
    el('ul', {class: 'legend'}, (shown.length ? shown : series).map((s) =>
      el('li', {dataset: {series: s.key}},
        el('span', {class: 'swatch', style: {background: s.color}}),
        s.label, el('span', {class: 'legend-total'}, String(sum(s.values)))))));
}

function sum(values) {
  return values.reduce((a, b) => a + (b || 0), 0);
}

/** 0 and up to five round steps covering max (1, 2 or 5 times a power of ten). */
function niceTicks(max) {
  if (max <= 0) return [0, 1];
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const stepSize = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const step = Math.max(1, stepSize);
  const ticks = [];
  for (let t = 0; t < max + step; t += step) ticks.push(t);
  return ticks;
}

function formatTick(value) {
  return value >= 1000 ? `${value / 1000}k` : String(value);
}
