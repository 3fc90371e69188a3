/* The Latency Explorer page: every view is drawn from /api/select, which counts every activity on the server. */
'use strict';

const token = new URLSearchParams(location.search).get('token') ?? '';
const BAND_COLOR = '#d62728';
const BASE_COLOR = '#5470c6';
const REST_COLOR = '#b8c2d6';

const state = { band: null, filters: {}, scale: 'linear', bins: 40, sort: 'latency_ns', asc: false, axisOrder: null };
/** What tests and the bench read: the charts, the state and the last answer, and how long the last update took (ms). */
const explorer = {
  state,
  meta: null,
  lines: null,
  result: null,
  updates: 0,
  refreshes: 0,
  links: null,
  aggregations: null,
  functions: null,
  lastUpdateMs: null,
  /** The lines last drawn: how many, how many in the band's colour, how many not faded by an axis filter. */
  linesDrawn: null,
  /** Called after each update has redrawn every view: the bench times a brush made through ECharts by it. */
  onUpdated: null,
  /** Milliseconds from navigation to each step of the first drawing (the bench reports them). */
  timings: { script: performance.now() },
  histogram: null,
  parallel: null,
};
window.explorer = explorer;
/** For the bench: changes the selection as a brush would and resolves once every view is redrawn. */
explorer.apply = (change) => {
  Object.assign(state, change);
  return update();
};

async function api(path, params = {}) {
  const res = await fetch(`${path}?${new URLSearchParams({ ...params, token })}`);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const isTime = (axis) => axis.unit === 'ns';
const label = (axis) => (axis.name.startsWith('metric:') ? axis.name.slice(7) : axis.name.replace(/_ns$/, ' ms'));
const shown = (axis, v) => (isTime(axis) ? v / 1e6 : v);
function fmt(axis, v) {
  if (v === null || v === undefined) return '–';
  const x = shown(axis, v);
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3);
}

function query() {
  return JSON.stringify({
    band: state.band,
    filters: state.filters,
    scale: state.scale,
    bins: state.bins,
    sort: state.sort,
    asc: state.asc,
    limit: 100,
  });
}

let sequence = 0;
/** Redraws every view from /api/select's answer for the state, or from `asked`, that answer already requested. */
async function update(asked) {
  const started = performance.now();
  const mine = ++sequence;
  const answer = asked ?? api('/api/select', { q: query() });
  // The lines need no answer: drawn while the server counts.
  drawLines();
  const result = await answer;
  if (mine !== sequence) return;
  explorer.result = result;
  drawHistogram(result);
  drawComparison(result);
  drawTable(result);
  drawStatus(result);
  explorer.lastUpdateMs = performance.now() - started;
  explorer.updates++;
  explorer.onUpdated?.();
}

function drawStatus(r) {
  const lines = explorer.lines;
  const sample = lines.sampled ? `; ${lines.ids.length} of them drawn as lines` : '';
  const band = state.band === null ? '' : `, latency ${(state.band[0] / 1e6).toFixed(3)}–${(state.band[1] / 1e6).toFixed(3)} ms`;
  const filters = Object.keys(state.filters).length;
  const live = explorer.meta.live ? ' so far (live)' : '';
  document.getElementById('status').textContent =
    `${r.total} activities${live}${sample}. ${r.filtered} pass ${filters} axis filter${filters === 1 ? '' : 's'}; ${r.selected} selected${band}.`;
}

function histogramLabels(edges) {
  const labels = [];
  for (let b = 0; b + 1 < edges.length; b++) labels.push((edges[b] / 1e6).toFixed(edges[b] < 1e7 ? 2 : 0));
  return labels;
}

/** The bins' labels last given to ECharts, one a line. */
let drawnLabels = null;
function drawHistogram(r) {
  const h = r.histogram;
  const option = {
    series: [
      { id: 'activities', data: h.counts },
      { id: 'selected', data: state.band === null ? h.counts.map(() => 0) : h.selected },
    ],
  };
  // Only a new scale or new data moves the bins: giving ECharts the same labels again tripled its update.
  const labels = histogramLabels(h.edges);
  if (labels.join('\n') !== drawnLabels) option.xAxis = { data: labels };
  drawnLabels = labels.join('\n');
  explorer.histogram.setOption(option);
}

/**
 * The parallel coordinates' lines, drawn on a canvas of their own under ECharts' axes. As a
 * parallel series, ECharts rebuilt and repainted 2,000 line objects at every axis brush and band
 * change (its axisAreaSelect updates the whole chart), most of a brush's 100 ms; here a redraw is
 * one pass over the sampled lines. Colours and opacities are the series' own: the band on
 * latency, and ECharts' active/inactive state of each line for the axes' brushed intervals.
 */
const LINE_STYLE = { width: 1, opacity: 0.35, activeOpacity: 0.6, inactiveOpacity: 0.03 };
const lineLayer = { canvas: null, dpr: 1, coordSys: null, dims: [], latency: 0, values: null, points: null, count: 0, drawn: null };

/** Places every line on the axes as ECharts has laid them out: after a setup, a resize or new data. */
function layOutLines(chart, meta, lines) {
  const coordSys = chart.getModel().getComponent('parallel').coordinateSystem;
  // ECharts names an axis's dimension `dim` + its data dimension, listed in the axes' order.
  const dims = coordSys.dimensions;
  const columns = dims.map((d) => Number(d.slice(3)));
  const count = lines.values.length;
  const values = new Float64Array(count * dims.length);
  const points = new Float32Array(count * dims.length * 2);
  for (let k = 0; k < count; k++) {
    const row = lines.values[k];
    for (let j = 0; j < dims.length; j++) {
      const v = shown(meta.axes[columns[j]], row[columns[j]]);
      const [x, y] = coordSys.dataToPoint(v, dims[j]);
      values[k * dims.length + j] = v;
      points[(k * dims.length + j) * 2] = x;
      points[(k * dims.length + j) * 2 + 1] = y;
    }
  }
  const dpr = window.devicePixelRatio || 1;
  Object.assign(lineLayer, { coordSys, dims, values, points, count, dpr, latency: dims.indexOf('dim0'), drawn: null });
  lineLayer.canvas.width = Math.round(chart.getWidth() * dpr);
  lineLayer.canvas.height = Math.round(chart.getHeight() * dpr);
  Object.assign(lineLayer.canvas.style, { width: `${chart.getWidth()}px`, height: `${chart.getHeight()}px` });
  drawLines();
}

/** Redraws the lines for state.band and the axes' brushed intervals, unless they are as drawn. */
function drawLines() {
  const { coordSys, dims, values, points, count } = lineLayer;
  const axisModels = dims.map((d) => coordSys.getAxis(d).model);
  const drawn = JSON.stringify([state.band, axisModels.map((m) => m.activeIntervals)]);
  if (drawn === lineLayer.drawn) return;
  lineLayer.drawn = drawn;
  const brushed = axisModels.some((m) => m.activeIntervals.length > 0);
  const band = state.band === null ? null : [state.band[0] / 1e6, state.band[1] / 1e6];
  const n = dims.length;
  const dpr = lineLayer.dpr;
  const ctx = lineLayer.canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, lineLayer.canvas.width, lineLayer.canvas.height);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.lineWidth = LINE_STYLE.width;
  let colour = null;
  let inBand = 0;
  let active = 0;
  // In data order, as ECharts drew them: where lines cross, the later one is on top.
  for (let k = 0; k < count; k++) {
    const latency = values[k * n + lineLayer.latency];
    const c = band === null ? BASE_COLOR : latency >= band[0] && latency <= band[1] ? BAND_COLOR : REST_COLOR;
    let opacity = LINE_STYLE.opacity;
    if (brushed) {
      opacity = LINE_STYLE.activeOpacity;
      for (let j = 0; j < n; j++)
        if (axisModels[j].getActiveState(values[k * n + j]) === 'inactive') {
          opacity = LINE_STYLE.inactiveOpacity;
          break;
        }
    }
    if (c === BAND_COLOR) inBand++;
    if (opacity !== LINE_STYLE.inactiveOpacity) active++;
    if (c !== colour) ctx.strokeStyle = colour = c;
    ctx.globalAlpha = opacity;
    ctx.beginPath();
    const at = k * n * 2;
    ctx.moveTo(points[at], points[at + 1]);
    for (let j = 1; j < n; j++) ctx.lineTo(points[at + j * 2], points[at + j * 2 + 1]);
    ctx.stroke();
  }
  explorer.linesDrawn = { total: count, inBand, active };
}

function drawComparison(r) {
  const byName = new Map(explorer.meta.axes.map((a) => [a.name, a]));
  const most = r.differsMost;
  const p = document.getElementById('differs-most');
  p.dataset.subsystem = most === null ? '' : most.subsystem;
  if (most === null)
    p.textContent =
      state.band === null && Object.keys(state.filters).length === 0
        ? 'Select a latency band or filter an axis to compare.'
        : 'No subsystem time differs.';
  else {
    const c = r.comparison.find((x) => x.axis === most.axis);
    const a = byName.get(most.axis);
    p.innerHTML = '';
    p.append(
      'The selection differs most in ',
      Object.assign(document.createElement('b'), { textContent: most.subsystem }),
      ` (${label(a)}: median ${fmt(a, c.selected.median)} vs ${fmt(a, c.rest.median)} for the rest, p99 ${fmt(a, c.selected.p99)} vs ${fmt(a, c.rest.p99)}).`,
    );
  }
  const t = document.getElementById('comparison');
  t.innerHTML =
    '<thead><tr><th>axis</th><th>subsystem</th><th>selected median</th><th>selected p99</th><th>rest median</th><th>rest p99</th></tr></thead>';
  const body = document.createElement('tbody');
  for (const c of r.comparison) {
    const a = byName.get(c.axis);
    // A live run's axis that appeared after the page last read the axes: drawn at the next refresh.
    if (a === undefined) continue;
    const tr = document.createElement('tr');
    tr.dataset.axis = c.axis;
    if (most !== null && c.axis === most.axis) tr.className = 'most';
    for (const v of [
      label(a),
      c.subsystem,
      fmt(a, c.selected?.median),
      fmt(a, c.selected?.p99),
      fmt(a, c.rest?.median),
      fmt(a, c.rest?.p99),
    ])
      tr.append(Object.assign(document.createElement('td'), { textContent: v }));
    body.append(tr);
  }
  t.append(body);
}

/** The table's columns and sort as drawn: a brush that changes neither keeps the header and the rows' cells. */
let drawnTableHead = null;
/** Rows are reused from brush to brush, only the cells whose text changed are set: rebuilding 100 rows was most of the table's redraw. */
function drawTable(r) {
  const axes = explorer.meta.axes;
  const t = document.getElementById('activities');
  const columns = [state.sort, state.asc, ...axes.map((a) => a.name)].join();
  if (columns !== drawnTableHead) {
    drawnTableHead = columns;
    t.innerHTML = '';
    const head = document.createElement('tr');
    for (const [key, text] of [['id', 'id'], ['token', 'token'], ...axes.map((a) => [a.name, label(a)])]) {
      const arrow = key === state.sort ? (state.asc ? ' ▲' : ' ▼') : '';
      const th = Object.assign(document.createElement('th'), { textContent: text + arrow });
      if (key !== 'id' && key !== 'token')
        th.onclick = () => {
          state.asc = state.sort === key ? !state.asc : false;
          state.sort = key;
          void update();
        };
      head.append(th);
    }
    t.append(document.createElement('thead'), document.createElement('tbody'));
    t.tHead.append(head);
    t.tBodies[0].onclick = async (e) => {
      const tr = e.target.closest('tr');
      if (tr === null) return;
      document.getElementById('record').textContent = JSON.stringify(await api('/api/activity', { id: tr.dataset.id }), null, 2);
    };
  }
  const body = t.tBodies[0];
  r.rows.forEach((row, k) => {
    let tr = body.rows[k];
    if (tr === undefined) {
      tr = body.insertRow();
      for (let c = 0; c < 2 + axes.length; c++) tr.insertCell();
    }
    tr.dataset.id = row.id;
    const texts = [String(row.id), String(row.token), ...axes.map((a) => fmt(a, row[a.name]))];
    texts.forEach((text, c) => {
      if (tr.cells[c].textContent !== text) tr.cells[c].textContent = text;
    });
  });
  while (body.rows.length > r.rows.length) body.deleteRow(-1);
}

function setupHistogram() {
  const chart = echarts.init(document.getElementById('histogram'));
  chart.setOption({
    animation: false,
    grid: { left: 60, right: 20, top: 30, bottom: 40 },
    tooltip: { trigger: 'axis' },
    toolbox: { feature: { brush: { type: ['lineX', 'clear'] } } },
    brush: { xAxisIndex: 0, brushMode: 'single', brushType: 'lineX', outOfBrush: { colorAlpha: 0.4 } },
    xAxis: { type: 'category', name: 'ms', nameLocation: 'end', data: [] },
    yAxis: { type: 'value', name: 'activities' },
    series: [
      { id: 'activities', name: 'activities', type: 'bar', data: [], itemStyle: { color: BASE_COLOR }, barCategoryGap: '5%' },
      { id: 'selected', name: 'selected', type: 'bar', data: [], itemStyle: { color: BAND_COLOR }, barGap: '-100%' },
    ],
  });
  chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
  chart.on('brushEnd', (e) => {
    const area = e.areas[0];
    const edges = explorer.result.histogram.edges;
    if (area === undefined) state.band = null;
    else {
      const [from, to] = area.coordRange;
      const lo = Math.max(0, Math.min(from, to));
      const hi = Math.min(edges.length - 2, Math.max(from, to));
      state.band = [edges[lo], edges[hi + 1]];
    }
    void update();
  });
  return chart;
}

/** Draws the brushed intervals of state.filters on a chart set up anew. */
function reapplyFilters() {
  for (const [name, intervals] of Object.entries(state.filters)) {
    const a = explorer.meta.axes.find((x) => x.name === name);
    const scale = isTime(a) ? 1e6 : 1;
    explorer.parallel.dispatchAction({
      type: 'axisAreaSelect',
      parallelAxisId: `axis-${name}`,
      intervals: intervals.map(([lo, hi]) => [lo / scale, hi / scale]),
    });
  }
}

function rebuildParallel() {
  explorer.parallel.dispose();
  explorer.parallel = setupParallel(explorer.meta, explorer.lines);
  reapplyFilters();
  drawAxisOrder();
}

/** Moves an axis one place left (-1) or right (+1). */
explorer.moveAxis = (name, delta) => {
  const order = axisOrder(explorer.meta);
  const from = order.indexOf(name);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= order.length) return;
  [order[from], order[to]] = [order[to], order[from]];
  state.axisOrder = order;
  rebuildParallel();
};

function drawAxisOrder() {
  const box = document.getElementById('axis-order');
  box.innerHTML = 'axis order: ';
  const byName = new Map(explorer.meta.axes.map((a) => [a.name, a]));
  for (const name of axisOrder(explorer.meta)) {
    const chip = Object.assign(document.createElement('span'), { className: 'chip' });
    chip.dataset.axis = name;
    const left = Object.assign(document.createElement('button'), { type: 'button', textContent: '◀', title: 'move left' });
    const right = Object.assign(document.createElement('button'), { type: 'button', textContent: '▶', title: 'move right' });
    left.onclick = () => explorer.moveAxis(name, -1);
    right.onclick = () => explorer.moveAxis(name, 1);
    chip.append(left, ` ${label(byName.get(name))} `, right);
    box.append(chip);
  }
}

/** The axes' names in the order the user arranged them; axes that appeared since go last. */
function axisOrder(meta) {
  const names = meta.axes.map((a) => a.name);
  const order = (state.axisOrder ?? names).filter((n) => names.includes(n));
  for (const n of names) if (!order.includes(n)) order.push(n);
  return order;
}

/**
 * ECharts' series holds only each axis's smallest and largest value of the lines, drawn
 * invisible: the axes' extents, and so their scales, are those of every line; lineLayer draws the lines.
 */
function extentSeries(meta, lines) {
  const axes = meta.axes;
  const low = axes.map(() => Infinity);
  const high = axes.map(() => -Infinity);
  for (const row of lines.values)
    row.forEach((v, i) => {
      const x = shown(axes[i], v);
      if (x < low[i]) low[i] = x;
      if (x > high[i]) high[i] = x;
    });
  return { data: lines.values.length === 0 ? [] : [low, high] };
}

/** ECharts lays the axes out in the order of its parallelAxis list; each keeps its data dimension. */
function setupParallel(meta, lines) {
  const container = document.getElementById('parallel');
  const chart = echarts.init(container);
  const axes = meta.axes;
  const dims = axisOrder(meta).map((name) => axes.findIndex((a) => a.name === name));
  chart.setOption({
    animation: false,
    parallel: { left: 60, right: 80, top: 40, bottom: 30 },
    parallelAxis: dims.map((i) => ({ id: `axis-${axes[i].name}`, dim: i, name: label(axes[i]), nameTextStyle: { fontSize: 11 }, min: 0 })),
    series: [
      {
        type: 'parallel',
        ...extentSeries(meta, lines),
        silent: true,
        lineStyle: { opacity: 0 },
        inactiveOpacity: 0,
        activeOpacity: 0,
        progressive: 0,
      },
    ],
  });
  // Under ECharts' canvas (its element comes later, both positioned): the axes and brushes stay on top.
  lineLayer.canvas?.remove();
  lineLayer.canvas = Object.assign(document.createElement('canvas'), { className: 'lines' });
  container.prepend(lineLayer.canvas);
  layOutLines(chart, meta, lines);
  chart.on('axisareaselected', (e) => {
    const name = e.parallelAxisId.replace(/^axis-/, '');
    const a = axes.find((x) => x.name === name);
    const scale = isTime(a) ? 1e6 : 1;
    if (e.intervals.length === 0) delete state.filters[name];
    else state.filters[name] = e.intervals.map(([lo, hi]) => [lo * scale, hi * scale]);
    void update();
  });
  return chart;
}

const LIVE_POLL_MS = 1000;

/** A live run (mscope run --explore): new activities redraw every view, keeping the selection. */
async function refreshLive() {
  const meta = await api('/api/meta');
  if (meta.total === explorer.meta.total) return;
  const lines = await api('/api/lines');
  const names = meta.axes.map((a) => a.name).join();
  // Two requests may straddle a rebuild on the server: try again at the next poll.
  if (lines.axes.join() !== names || lines.total !== meta.total) return;
  const sameAxes = names === explorer.meta.axes.map((a) => a.name).join();
  explorer.meta = meta;
  explorer.lines = lines;
  if (sameAxes) {
    explorer.parallel.setOption({ series: [extentSeries(meta, lines)] });
    layOutLines(explorer.parallel, meta, lines);
  } else {
    for (const name of Object.keys(state.filters)) if (!meta.axes.some((a) => a.name === name)) delete state.filters[name];
    rebuildParallel();
  }
  await update();
  explorer.refreshes++;
}

const aggregationCharts = new Map();

function showValue(v) {
  return typeof v === 'object' && v !== null ? `count ${v.count}, avg ${v.average}, total ${v.total}` : String(v);
}

/** The D program's aggregations: a table per scalar aggregation, a bar chart per key of a quantization. */
async function drawAggregations() {
  const aggs = await api('/api/aggregations');
  explorer.aggregations = aggs;
  const list = document.getElementById('aggregation-list');
  const seen = new Set();
  for (const a of aggs) {
    const id = `agg-${a.name}`;
    let box = list.querySelector(`div[data-name="${CSS.escape(a.name)}"]`);
    if (box === null) {
      box = Object.assign(document.createElement('div'), { className: 'aggregation' });
      box.dataset.name = a.name;
      box.append(Object.assign(document.createElement('h3'), { textContent: `${a.name || '@'} (${a.kind})` }));
      list.append(box);
    }
    seen.add(a.name);
    const histogram = a.rows.some((r) => r.buckets !== undefined);
    if (!histogram) {
      box.querySelector('div.chart')?.remove();
      let t = box.querySelector('table');
      if (t === null) box.append((t = document.createElement('table')));
      t.innerHTML = '<thead><tr><th>key</th><th>value</th></tr></thead>';
      const body = document.createElement('tbody');
      for (const r of a.rows) {
        const tr = document.createElement('tr');
        tr.append(
          Object.assign(document.createElement('td'), { textContent: r.keys.join(', ') }),
          Object.assign(document.createElement('td'), { textContent: showValue(r.value) }),
        );
        body.append(tr);
      }
      t.append(body);
      continue;
    }
    for (const r of a.rows) {
      const key = `${id}|${r.keys.join(',')}`;
      let chart = aggregationCharts.get(key);
      if (chart === undefined) {
        const div = Object.assign(document.createElement('div'), { className: 'chart small' });
        div.dataset.key = r.keys.join(', ');
        box.append(div);
        chart = echarts.init(div);
        chart.setOption({
          animation: false,
          title: { text: r.keys.length === 0 ? '' : r.keys.join(', '), textStyle: { fontSize: 12 } },
          grid: { left: 60, right: 20, top: 30, bottom: 40 },
          tooltip: { trigger: 'axis' },
          xAxis: { type: 'category', name: 'value', nameLocation: 'end', data: [] },
          yAxis: { type: 'value', name: 'count' },
          series: [{ id: 'count', type: 'bar', data: [], itemStyle: { color: BASE_COLOR } }],
        });
        aggregationCharts.set(key, chart);
      }
      chart.setOption({
        xAxis: { data: r.buckets.map((b) => String(b.value)) },
        series: [{ id: 'count', data: r.buckets.map((b) => b.count) }],
      });
    }
  }
  for (const box of [...list.children]) if (!seen.has(box.dataset.name)) box.remove();
}

const functionView = { span: 'interval', sort: 'calls' };

function showMetric(m, v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!m.time) return m.name === 'conc' ? v.toFixed(2) : String(v);
  return v >= 1e9
    ? `${(v / 1e9).toFixed(2)} s`
    : v >= 1e6
      ? `${(v / 1e6).toFixed(2)} ms`
      : v >= 1e3
        ? `${(v / 1e3).toFixed(1)} µs`
        : `${Math.round(v)} ns`;
}

/** kperfmon's table of the functions --functions picked, as `mscope top` shows it. */
async function drawFunctions() {
  const view = await api('/api/functions');
  explorer.functions = view;
  const rows = [...view[functionView.span]];
  const key = functionView.sort;
  rows.sort((a, b) => {
    const x = a.values[key] ?? -Infinity;
    const y = b.values[key] ?? -Infinity;
    return y - x || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
  const t = document.getElementById('function-table');
  t.innerHTML = '';
  const head = document.createElement('tr');
  head.append(Object.assign(document.createElement('th'), { textContent: 'function' }));
  for (const m of view.metrics) {
    const th = Object.assign(document.createElement('th'), { textContent: m.title + (m.name === key ? ' ▼' : '') });
    th.dataset.metric = m.name;
    th.onclick = () => {
      functionView.sort = m.name;
      void drawFunctions();
    };
    head.append(th);
  }
  t.append(document.createElement('thead'), document.createElement('tbody'));
  t.tHead.append(head);
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.dataset.name = r.name;
    tr.append(Object.assign(document.createElement('td'), { textContent: r.name }));
    for (const m of view.metrics) tr.append(Object.assign(document.createElement('td'), { textContent: showMetric(m, r.values[m.name]) }));
    t.tBodies[0].append(tr);
  }
}

const BINDINGS = ['direct', 'shm', 'message'];

/** The links of every traced process, as `mscope links` prints them, each with a relink control. */
let drawnLinks = '';
async function drawLinks() {
  const rows = await api('/api/links');
  explorer.links = rows;
  const t = document.getElementById('links');
  // Only the counts changed: update them in place, so that a binding being picked is not reset.
  const shape = rows.map((p) => `${p.pid}:${p.links === null ? 'gone' : p.links.map((l) => `${l.id}/${l.binding}`).join(',')}`).join(';');
  if (shape === drawnLinks) {
    for (const p of rows)
      for (const l of p.links ?? []) {
        const cells = t.querySelector(`tr[data-pid="${p.pid}"][data-link="${l.id}"]`)?.cells;
        if (cells !== undefined) [l.events, l.drops, l.faults].forEach((v, i) => (cells[3 + i].textContent = String(v)));
      }
    return;
  }
  drawnLinks = shape;
  t.innerHTML =
    '<thead><tr><th>pid</th><th>link</th><th>binding</th><th>events</th><th>drops</th><th>faults</th><th>description</th><th>relink</th></tr></thead>';
  const body = document.createElement('tbody');
  for (const p of rows) {
    if (p.links === null) {
      const tr = document.createElement('tr');
      tr.className = 'gone';
      const td = Object.assign(document.createElement('td'), { textContent: `${p.pid} ${p.argv.join(' ')}: ${p.error ?? 'exited'}` });
      td.colSpan = 8;
      tr.append(td);
      body.append(tr);
      continue;
    }
    for (const l of p.links) {
      const tr = document.createElement('tr');
      tr.dataset.pid = p.pid;
      tr.dataset.link = l.id;
      for (const v of [p.pid, l.id, l.binding, l.events, l.drops, l.faults, l.description])
        tr.append(Object.assign(document.createElement('td'), { textContent: String(v) }));
      const pick = document.createElement('select');
      for (const b of BINDINGS)
        pick.append(Object.assign(document.createElement('option'), { value: b, textContent: b, selected: b === l.binding }));
      const go = Object.assign(document.createElement('button'), { type: 'button', textContent: 'relink' });
      go.onclick = async () => {
        const status = document.getElementById('relink-status');
        const r = await fetch(`/api/relink?${new URLSearchParams({ pid: p.pid, link: l.id, binding: pick.value, token })}`, {
          method: 'POST',
        });
        const answer = await r.json();
        status.textContent = answer.ok
          ? `link ${l.id} of process ${p.pid} is now bound by ${pick.value}`
          : `relink refused: ${answer.error}`;
        await drawLinks();
      };
      const td = document.createElement('td');
      td.append(pick, go);
      tr.append(td);
      body.append(tr);
    }
  }
  t.append(body);
}

function pollLive() {
  setTimeout(async () => {
    try {
      await refreshLive();
      if (explorer.meta.processes) await drawLinks();
      if (explorer.meta.aggregations) await drawAggregations();
      if (explorer.meta.functions) await drawFunctions();
    } catch (e) {
      document.getElementById('status').textContent = `live update failed: ${e.message} (the run may have ended)`;
    }
    pollLive();
  }, LIVE_POLL_MS);
}

/** ECharts' script comes after this one: its parse overlaps the first requests, and the page waits for it here. */
const documentParsed =
  document.readyState === 'loading' ? new Promise((resolve) => addEventListener('DOMContentLoaded', resolve, { once: true })) : null;

async function main() {
  // The first selection is asked with the others, not after the charts are set up.
  const first = api('/api/select', { q: query() });
  const [meta, lines] = await Promise.all([api('/api/meta'), api('/api/lines'), first, documentParsed]);
  explorer.timings.data = performance.now();
  explorer.meta = meta;
  explorer.lines = lines;
  document.getElementById('source').textContent = `${meta.path}${meta.run === null ? '' : `, run ${meta.run}`}`;
  explorer.histogram = setupHistogram();
  explorer.timings.histogram = performance.now();
  explorer.parallel = setupParallel(meta, lines);
  explorer.timings.charts = performance.now();
  drawAxisOrder();
  for (const input of document.querySelectorAll('input[name=scale]'))
    input.onchange = () => {
      state.scale = input.value;
      state.band = null;
      explorer.histogram.dispatchAction({ type: 'brush', areas: [] });
      void update();
    };
  document.getElementById('reset').onclick = () => {
    state.band = null;
    state.filters = {};
    explorer.histogram.dispatchAction({ type: 'brush', areas: [] });
    for (const a of meta.axes)
      explorer.parallel.dispatchAction({ type: 'axisAreaSelect', parallelAxisId: `axis-${a.name}`, intervals: [] });
    void update();
  };
  window.addEventListener('resize', () => {
    explorer.histogram.resize();
    explorer.parallel.resize();
    layOutLines(explorer.parallel, explorer.meta, explorer.lines);
  });
  await update(first);
  explorer.timings.ready = performance.now();
  document.body.dataset.ready = 'true';
  if (meta.processes) {
    document.getElementById('processes').hidden = false;
    await drawLinks();
  }
  if (meta.aggregations) {
    document.getElementById('aggregations').hidden = false;
    await drawAggregations();
  }
  if (meta.functions) {
    document.getElementById('functions').hidden = false;
    for (const input of document.querySelectorAll('input[name=fn-span]'))
      input.onchange = () => {
        functionView.span = input.value;
        void drawFunctions();
      };
    await drawFunctions();
  }
  if (meta.live) pollLive();
}

main().catch((e) => {
  document.getElementById('status').textContent = `error: ${e.message}`;
  document.body.dataset.ready = 'error';
});
