// The Gradient Tracer page: asks the tracer's JSON API for a trace and draws it as SVG, left to right.
// Plain JavaScript, no libraries; every text goes in through textContent, never as HTML.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const FUNCTIONS = new Set(['exp', 'log', 'tanh', 'sigmoid', 'relu']);
const W = 212, GAP_X = 56, GAP_Y = 18, LINE = 16, CHARS = 31;  // CHARS: what fits on a line of a node

const state = {
  examples: [],
  values: {},     // name -> number, the inputs as the page shows them
  names: [],      // the names of the expression, in order
  trace: null,    // the last result of /api/trace
  step: 0,        // how many entries of trace.backwardOrder have been processed
  timer: null,
};

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ numbers

/** A number as the page writes it: integers as they are, others with 6 significant digits. */
function num(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;  // "NaN", "Infinity", "-Infinity"
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

function short(text, n) {
  return text.length <= n ? text : text.slice(0, n - 1) + '…';
}

// ------------------------------------------------------------------ the API

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const data = await response.json();
  if (!response.ok) {
    const e = new Error(data.error || ('HTTP ' + response.status));
    e.position = data.position;
    throw e;
  }
  return data;
}

// ------------------------------------------------------------------ inputs

/** The names in an expression, in order (the server parses for real; this only keeps the inputs in step). */
function namesOf(expression) {
  const out = [];
  const token = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*/g;
  for (const m of expression.matchAll(token)) {
    const t = m[0];
    if (/^[A-Za-z_]/.test(t) && !FUNCTIONS.has(t) && !out.includes(t)) out.push(t);
  }
  return out;
}

function renderInputs() {
  const body = $('inputs').querySelector('tbody');
  body.replaceChildren();
  for (const name of state.names) {
    if (!(name in state.values)) state.values[name] = 1;
    const row = document.createElement('tr');
    row.dataset.name = name;
    const label = document.createElement('th');
    label.textContent = name;
    const slider = document.createElement('input');
    Object.assign(slider, {type: 'range', id: 'slider-' + name, min: -5, max: 5, step: 0.01, value: state.values[name]});
    slider.setAttribute('aria-label', name + ' (slider)');
    const field = document.createElement('input');
    Object.assign(field, {type: 'number', id: 'value-' + name, step: 'any', value: state.values[name]});
    field.setAttribute('aria-label', name);
    slider.addEventListener('input', () => { field.value = slider.value; changed(name, Number(slider.value)); });
    field.addEventListener('input', () => {
      if (field.value !== '' && Number.isFinite(Number(field.value))) {
        slider.value = field.value;
        changed(name, Number(field.value));
      }
    });
    const cells = [label, wrap(slider), wrap(field)];
    for (const c of ['grad', 'numeric', 'difference']) {
      const td = document.createElement('td');
      td.className = 'number ' + c;
      cells.push(td);
    }
    row.append(...cells);
    body.append(row);
  }
}

function wrap(el) {
  const td = document.createElement('td');
  td.append(el);
  return td;
}

let again = null;

function changed(name, value) {
  state.values[name] = value;
  if (state.trace) {  // once drawn, the graph follows the inputs
    clearTimeout(again);
    again = setTimeout(forward, 150);
  }
}

function expressionEdited() {
  state.names = namesOf($('expression').value);
  renderInputs();
  state.trace = null;
  stop();
  draw();
  hideProblem();
  $('inplace-panel').hidden = true;
}

function chooseExample() {
  const id = $('example').value;
  const ex = state.examples.find((e) => e.id === id);
  if (!ex) return;
  $('expression').value = ex.expression;
  state.values = Object.assign({}, ex.values);
  expressionEdited();
  say('Press Forward to run ' + ex.expression + '.');
}

// ------------------------------------------------------------------ forward, backward

function say(text) {
  $('status').textContent = text;
}

function showProblem(expression, e) {
  $('parse-message').textContent = e.message;
  $('parse-where').textContent = Number.isInteger(e.position)
    ? expression + '\n' + ' '.repeat(e.position) + '^' : expression;
  $('parse-error').hidden = false;
}

function hideProblem() {
  $('parse-error').hidden = true;
}

function request(inplace) {
  const values = {};
  for (const name of namesOf($('expression').value)) {
    if (name in state.values) values[name] = state.values[name];
  }
  return {expression: $('expression').value, values: values, inplace: inplace};
}

async function forward() {
  stop();
  const expression = $('expression').value;
  try {
    const trace = await api('/api/trace', request(false));
    hideProblem();
    state.trace = trace;
    state.step = 0;
    $('backend').textContent = trace.backend;
    if (trace.inputs.map((i) => i.name).join() !== state.names.join()) {
      state.names = trace.inputs.map((i) => i.name);
      for (const i of trace.inputs) state.values[i.name] = i.value;
      renderInputs();
    }
    draw();
    say('Forward: the output is ' + num(trace.value) + ' (' + trace.nodes.length + ' nodes). '
      + 'Press Backward to play the backward pass, or Step to go one node at a time.');
  } catch (e) {
    state.trace = null;
    draw();
    showProblem(expression, e);
    say('The tracer refused this: ' + e.message);
  }
}

async function ensureForward() {
  if (!state.trace) await forward();
  return state.trace !== null;
}

async function step() {
  stop();
  if (!(await ensureForward())) return;
  advance();
}

/** Processes the next node of the backward order; false when there was none. */
function advance() {
  const t = state.trace;
  if (state.step >= t.backwardOrder.length) return false;
  state.step++;
  update();
  const n = node(t.backwardOrder[state.step - 1]);
  if (state.step === t.backwardOrder.length) {
    say('Backward done: every gradient has arrived (' + t.backwardOrder.length + ' steps).');
  } else {
    say('Backward, step ' + state.step + ' of ' + t.backwardOrder.length + ': ' + n.label + ' (' + n.expression
      + ') has its gradient, ' + num(n.grad) + ', and passes it on to its inputs.');
  }
  return true;
}

async function backward() {
  stop();
  if (!(await ensureForward())) return;
  if (state.step >= state.trace.backwardOrder.length) {
    state.step = 0;
    update();
  }
  const tick = () => {
    if (advance() && state.step < state.trace.backwardOrder.length) {
      state.timer = setTimeout(tick, Number($('speed').value));
    } else {
      state.timer = null;
    }
  };
  tick();
}

function stop() {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
}

async function inplace() {
  stop();
  try {
    const t = await api('/api/trace', request(true));
    hideProblem();
    if (!state.trace) {  // the trap needs a forward pass: show it
      state.trace = t;
      state.step = 0;
      draw();
    }
    const p = t.inplace;
    $('inplace-what').textContent = p.leaf + ' was changed in place from ' + num(p.before) + ' to ' + num(p.after)
      + ' after the forward pass and before backward'
      + (p.savedBy ? ' (the ' + p.savedBy + ' that uses it saved it for its backward).'
        : '; no op saved it, so nothing reads it in backward.');
    $('error').textContent = p.error ? p.error
      : 'grad4j had nothing to refuse: no op saved ' + p.leaf + ', so the gradients are still right.';
    const body = $('naive').querySelector('tbody');
    body.replaceChildren();
    for (const name of Object.keys(p.correct)) {
      const row = document.createElement('tr');
      row.dataset.name = name;
      const cells = [name, num(p.correct[name]), num(p.naive[name])].map((text, i) => {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        td.textContent = text;
        if (i > 0) td.classList.add('number');
        return td;
      });
      if (num(p.correct[name]) !== num(p.naive[name])) cells[2].classList.add('wrong');
      row.append(...cells);
      body.append(row);
    }
    $('inplace-panel').hidden = false;
    say(p.error ? 'grad4j refused the backward pass: ' + p.leaf + ' changed after it was saved.'
      : 'Nothing to refuse: ' + p.leaf + ' was not saved by any op.');
  } catch (e) {
    showProblem($('expression').value, e);
    say('The tracer refused this: ' + e.message);
  }
}

// ------------------------------------------------------------------ drawing

function node(id) {
  return state.trace.nodes.find((n) => n.id === id);
}

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function height(n) {
  return n.kind === 'leaf' ? 58 + LINE * (n.contributions.length + 1) : 58;
}

/** Columns by depth (leaves and constants just left of their first consumer), rows ordered right to left. */
function layout(nodes) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const consumers = new Map(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const i of n.inputs) consumers.get(i).push(n.id);
  const col = new Map();
  for (const n of nodes) {  // nodes come inputs first
    if (n.kind === 'op') {
      col.set(n.id, 1 + Math.max(0, ...n.inputs.map((i) => (byId.get(i).kind === 'op' ? col.get(i) : 0))));
    }
  }
  for (const n of nodes) {
    if (n.kind !== 'op') {
      const cs = consumers.get(n.id);
      col.set(n.id, cs.length ? Math.min(...cs.map((c) => col.get(c))) - 1 : 0);
    }
  }
  const last = Math.max(...col.values());
  const pos = new Map();
  for (let c = last; c >= 0; c--) {
    const column = nodes.filter((n) => col.get(n.id) === c);
    const key = (n) => {
      const cs = consumers.get(n.id);
      return cs.length ? cs.reduce((s, id) => s + pos.get(id).y + height(byId.get(id)) / 2, 0) / cs.length : 0;
    };
    const keys = new Map(column.map((n) => [n.id, key(n)]));
    column.sort((a, b) => keys.get(a.id) - keys.get(b.id));
    let bottom = -Infinity;
    for (const n of column) {
      const y = Math.max(keys.get(n.id) - height(n) / 2, bottom + GAP_Y);
      pos.set(n.id, {x: 20 + c * (W + GAP_X), y: y});
      bottom = y + height(n);
    }
  }
  const top = Math.min(...[...pos.values()].map((p) => p.y));
  for (const p of pos.values()) p.y += 20 - top;
  return pos;
}

function draw() {
  const svg = $('graph');
  svg.replaceChildren();
  const t = state.trace;
  if (!t) {
    svg.removeAttribute('viewBox');
    svg.setAttribute('width', 600);
    svg.setAttribute('height', 80);
    svg.append(el('text', {x: 20, y: 44, class: 'empty'}, 'Press Forward to draw the graph.'));
    update();
    return;
  }
  const pos = layout(t.nodes);
  let width = 0, heightAll = 0;
  for (const n of t.nodes) {
    width = Math.max(width, pos.get(n.id).x + W + 20);
    heightAll = Math.max(heightAll, pos.get(n.id).y + height(n) + 20);
  }
  svg.setAttribute('width', width);
  svg.setAttribute('height', heightAll);
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + heightAll);
  const defs = el('defs');
  const marker = el('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7,
    orient: 'auto-start-reverse'});
  marker.append(el('path', {d: 'M 0 0 L 10 5 L 0 10 z', fill: '#8c959f'}));
  defs.append(marker);
  svg.append(defs);
  for (const n of t.nodes) {  // edges first, under the nodes
    n.inputs.forEach((id, k) => {
      const a = pos.get(id), b = pos.get(n.id), from = node(id);
      const x1 = a.x + W, y1 = a.y + height(from) / 2;
      const x2 = b.x, y2 = b.y + 29 + (n.inputs.length > 1 ? (k === 0 ? -9 : 9) : 0);
      const mid = (x1 + x2) / 2;
      svg.append(el('path', {class: 'edge', 'data-from': id, 'data-to': n.id, 'marker-end': 'url(#arrow)',
        d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`}));
    });
  }
  for (const n of t.nodes) {
    const p = pos.get(n.id);
    const g = el('g', {class: 'node ' + n.kind + (n.id === t.output ? ' output' : ''), id: 'node-' + n.id,
      'data-id': n.id, 'data-label': n.label, transform: `translate(${p.x}, ${p.y})`});
    g.append(el('title', {}, n.expression + ' (' + (n.kind === 'op' ? 'grad4j op ' + n.op : n.kind) + ')'));
    g.append(el('rect', {width: W, height: height(n), rx: 8}));
    g.append(el('text', {class: 'label', x: 10, y: 19}, n.kind === 'op' ? short(n.expression, 22) : n.label));
    g.append(el('text', {class: 'value', x: 10, y: 36}, 'value ' + num(n.value)));
    g.append(el('text', {class: 'op', x: W - 8, y: 36}, n.kind === 'op' ? n.op : n.kind));
    if (n.kind !== 'constant') g.append(el('text', {class: 'grad pending', x: 10, y: 52}, 'grad ' + num(n.grad)));
    if (n.kind === 'leaf') {
      n.contributions.forEach((c, k) => {
        const head = (k === 0 ? '' : '+ ') + num(c.value) + ' through ';
        const line = el('text', {class: 'contribution pending', x: 10, y: 52 + LINE * (k + 1), 'data-through': c.node || ''},
          head + short(c.through, Math.max(8, CHARS - head.length)));
        line.append(el('title', {}, num(c.upstream) + ' × ' + num(c.local) + ' = ' + num(c.value) + ' through ' + c.through));
        g.append(line);
      });
      g.append(el('text', {class: 'numeric pending', x: 10, y: 52 + LINE * (n.contributions.length + 1)},
        'numeric ' + num(n.numeric) + ' (Δ ' + num(n.difference) + ')'));
    }
    svg.append(g);
  }
  update();
}

/** Shows what the backward pass has reached after state.step steps. */
function update() {
  const t = state.trace;
  const done = new Set(t ? t.backwardOrder.slice(0, state.step) : []);
  const current = t && state.step > 0 ? t.backwardOrder[state.step - 1] : null;
  for (const g of document.querySelectorAll('#graph .node')) {
    const id = g.dataset.id;
    g.classList.toggle('current', id === current);
    const reached = done.has(id);
    for (const e of g.querySelectorAll('.grad, .numeric')) e.classList.toggle('pending', !reached);
    for (const e of g.querySelectorAll('.contribution')) {
      e.classList.toggle('pending', !done.has(e.dataset.through) && !reached);
    }
    if (reached) {
      const n = node(id);
      const cs = n.contributions || [];   // a leaf's gradient as its contributions adding up
      const sum = 'grad ' + cs.map((c) => num(c.value)).join(' + ') + ' = ' + num(n.grad);
      g.querySelector('.grad').textContent = cs.length < 2 ? 'grad ' + num(n.grad)
        : sum.length <= CHARS ? sum : 'grad ' + num(n.grad) + ', the sum of ' + cs.length + ':';
    }
  }
  for (const e of document.querySelectorAll('#graph .edge')) {
    e.classList.toggle('flow', e.dataset.to === current);
  }
  for (const row of $('inputs').querySelectorAll('tbody tr')) {
    const n = t && t.nodes.find((m) => m.kind === 'leaf' && m.label === row.dataset.name);
    const reached = n && done.has(n.id);
    row.querySelector('.grad').textContent = reached ? num(n.grad) : '';
    row.querySelector('.numeric').textContent = reached ? num(n.numeric) : '';
    row.querySelector('.difference').textContent = reached ? num(n.difference) : '';
  }
}

// ------------------------------------------------------------------ start

async function start() {
  $('example').addEventListener('change', chooseExample);
  $('expression').addEventListener('input', () => {
    $('example').value = 'custom';
    expressionEdited();
    say('Press Forward to run your expression.');
  });
  $('expression').addEventListener('keydown', (e) => { if (e.key === 'Enter') forward(); });
  $('forward').addEventListener('click', forward);
  $('backward').addEventListener('click', backward);
  $('step').addEventListener('click', step);
  $('inplace').addEventListener('click', inplace);
  try {
    state.examples = await api('/api/examples');
  } catch (e) {
    say('The tracer is not answering: ' + e.message);
    return;
  }
  for (const ex of state.examples) $('example').append(new Option(ex.title, ex.id));
  $('example').append(new Option('your own expression', 'custom'));
  $('example').value = state.examples[0].id;
  chooseExample();
  document.body.dataset.ready = 'true';
}

start();
