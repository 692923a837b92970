// The playground page's behaviour: no framework, every server value rendered as text.
const $ = (id) => document.getElementById(id);
const form = $('run-form');
const mapping = $('mapping');
const event = $('event');
const config = $('config');
const preset = $('preset');
const live = $('live');
const summary = $('summary');
const problemsSection = $('problems-section');
const problemsList = $('problems');
const resultsSection = $('results-section');
const resultsBox = $('results');
const explainSection = $('explain-section');
const explainList = $('explain');

let presets = [];
let pending;
let runSeq = 0;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

/** Line numbers beside a textarea; lines with problems are marked. */
function paintGutter(textarea, gutter, badLines = new Set()) {
  const count = textarea.value.split('\n').length;
  gutter.replaceChildren();
  for (let i = 1; i <= count; i++) {
    gutter.append(el('span', badLines.has(i) ? { class: 'bad' } : {}, String(i)), '\n');
  }
  gutter.scrollTop = textarea.scrollTop;
}
const gutters = [
  [mapping, $('mapping-gutter')],
  [event, $('event-gutter')],
];
const bad = new Map([[mapping, new Set()], [event, new Set()]]);
for (const [t, g] of gutters) {
  t.addEventListener('scroll', () => { g.scrollTop = t.scrollTop; });
  t.addEventListener('input', () => paintGutter(t, g, bad.get(t)));
}
const repaint = () => { for (const [t, g] of gutters) paintGutter(t, g, bad.get(t)); };

/** Puts the caret on a line (1-based) and column, selecting the line so it is visible. */
function goTo(textarea, line, col = 1) {
  const lines = textarea.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1] ?? '').length;
  textarea.focus();
  textarea.setSelectionRange(Math.min(start + col - 1, end), end);
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
  textarea.scrollTop = Math.max(0, (line - 4) * lineHeight);
}

/** JSON.parse's message, with the line it points at when the engine says where. */
function jsonProblem(text, what) {
  try {
    return { value: text.trim() === '' ? undefined : JSON.parse(text) };
  } catch (err) {
    const msg = String(err.message);
    let line;
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const pos = /position (\d+)/.exec(msg);
    if (lc) line = Number(lc[1]);
    else if (pos) line = text.slice(0, Number(pos[1])).split('\n').length;
    return { problem: { what, line, message: `${what} is not valid JSON: ${msg}` } };
  }
}

function showProblems(items) {
  problemsList.replaceChildren();
  for (const p of items) {
    const where = p.line ? `line ${p.line}${p.col ? `, column ${p.col}` : ''}` : '';
    const target = p.what === 'Event' ? event : p.what === 'Config' ? config : mapping;
    const label = `${p.what}${where ? ` ${where}` : ''}`;
    const item = p.line
      ? el('button', { type: 'button', class: 'linklike', onclick: () => goTo(target, p.line, p.col) }, label)
      : el('strong', {}, label);
    problemsList.append(el('li', {}, item, ': ', el('span', {}, p.message)));
  }
  problemsSection.hidden = items.length === 0;
}

function httpStep(step) {
  const head = `${step.method} ${step.path}`;
  const parts = [el('code', {}, head)];
  if (step.when) parts.push(' ', el('span', { class: 'when' }, `when ${step.when}`));
  const details = [];
  if (step.query) details.push(el('pre', {}, Object.entries(step.query).map(([k, v]) => `${k}=${v}`).join('\n')));
  if (step.body) details.push(el('pre', {}, JSON.stringify(step.body, null, 2)));
  return el('li', {}, ...parts, ...details);
}

function renderResult(r) {
  const box = el('article', { class: `result s${r.statusCode}` });
  if (r.statusCode !== 200) {
    box.append(el('p', {}, el('strong', {}, String(r.statusCode)), ` ${r.error}${r.errorCode ? ` (${r.errorCode})` : ''}`));
    return box;
  }
  for (const op of r.output) {
    const title = `${op.operation} ${op.object}`;
    box.append(el('h4', {}, title, el('span', { class: 'rule' }, ` by rule ${op.mapping}`)));
    const rest = { ...op };
    delete rest.http;
    box.append(el('pre', { class: 'op' }, JSON.stringify(rest, null, 2)));
    box.append(el('p', { class: 'sub' }, 'HTTP requests, in order:'));
    box.append(el('ol', { class: 'http' }, ...op.http.map(httpStep)));
  }
  return box;
}

function render(answer, clientProblems) {
  const problems = [...clientProblems, ...answer.problems.map((p) => ({ what: 'Mapping', line: p.line, col: p.col, message: p.message }))];
  bad.set(mapping, new Set(problems.filter((p) => p.what === 'Mapping' && p.line).map((p) => p.line)));
  bad.set(event, new Set(problems.filter((p) => p.what === 'Event' && p.line).map((p) => p.line)));
  mapping.setAttribute('aria-invalid', String(bad.get(mapping).size > 0));
  event.setAttribute('aria-invalid', String(bad.get(event).size > 0));
  repaint();
  showProblems(problems);

  resultsBox.replaceChildren(...answer.results.map(renderResult));
  resultsSection.hidden = answer.results.length === 0;
  explainList.replaceChildren(
    ...answer.explain.map((x) => el('li', { class: x.fired ? 'fired' : 'not' }, el('strong', {}, `${x.fired ? '✓ fired' : '✗ did not fire'}: ${x.rule}`), ` — ${x.why}`)),
  );
  explainSection.hidden = answer.explain.length === 0;

  if (problems.length > 0) {
    const first = problems[0];
    summary.textContent = `${problems.length} problem${problems.length > 1 ? 's' : ''}: ${first.what}${first.line ? ` line ${first.line}` : ''}: ${first.message}`;
  } else if (answer.results.length > 0) {
    const r = answer.results[0];
    summary.textContent = r.statusCode === 200
      ? `${r.statusCode}: ${r.output.length} operation${r.output.length > 1 ? 's' : ''} (${r.output.map((o) => `${o.operation} ${o.object}`).join(', ')})`
      : `${r.statusCode}: ${r.error}`;
  }
  summary.className = `summary ${problems.length > 0 ? 'error' : 'ok'}`;
}

async function run() {
  const seq = ++runSeq;
  const clientProblems = [];
  const ev = jsonProblem(event.value, 'Event');
  const cfg = jsonProblem(config.value, 'Config');
  if (ev.problem) clientProblems.push(ev.problem);
  if (cfg.problem) clientProblems.push(cfg.problem);
  if (!ev.problem && ev.value === undefined) clientProblems.push({ what: 'Event', message: 'the event is empty' });
  if (clientProblems.length > 0) {
    render({ problems: [], explain: [], results: [] }, clientProblems);
    return;
  }
  form.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch('/playground/run', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mapping: mapping.value, event: ev.value, config: cfg.value }),
    });
    const answer = await res.json();
    if (seq !== runSeq) return; // a newer run is on its way
    if (!res.ok) render({ problems: [], explain: [], results: [] }, [{ what: 'Request', message: answer.error?.message ?? `HTTP ${res.status}` }]);
    else render(answer, []);
  } catch (err) {
    if (seq === runSeq) render({ problems: [], explain: [], results: [] }, [{ what: 'Request', message: `the server did not answer: ${err.message}` }]);
  } finally {
    if (seq === runSeq) form.removeAttribute('aria-busy');
  }
}

function schedule() {
  if (!live.checked) return;
  clearTimeout(pending);
  pending = setTimeout(run, 300);
}

function applyPreset(id) {
  const p = presets.find((x) => x.id === id);
  if (!p) return;
  mapping.value = p.mapping;
  event.value = JSON.stringify(p.event, null, 2);
  config.value = p.config ? JSON.stringify(p.config, null, 2) : '';
  repaint();
  run();
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  run();
});
for (const t of [mapping, event, config]) {
  t.addEventListener('input', schedule);
  t.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });
}
preset.addEventListener('change', () => applyPreset(preset.value));

async function init() {
  repaint();
  try {
    const res = await fetch('/playground/presets');
    presets = await res.json();
    for (const p of presets) preset.append(el('option', { value: p.id }, p.title));
  } catch {
    summary.textContent = 'Examples could not be loaded; paste a mapping and an event.';
  }
  document.body.dataset.ready = 'true';
}
init();
