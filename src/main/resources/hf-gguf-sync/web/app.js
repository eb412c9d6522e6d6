// The catalog page (docs/browser.md): plain JavaScript over the JSON API, no library, no network beyond this server.
'use strict';

const $ = (selector) => document.querySelector(selector);
const state = { page: 1, pageSize: 50, hubUrl: 'https://huggingface.co', request: 0 };

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw Object.assign(new Error(body.error || `HTTP ${response.status}`), { status: response.status });
  return body;
}

// --- formatting -----------------------------------------------------------------------------------

const GB = 1e9;
function size(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes >= GB) return `${(bytes / GB).toFixed(bytes >= 100 * GB ? 0 : 1)} GB`;
  return `${(bytes / 1e6).toFixed(bytes >= 100e6 ? 0 : 1)} MB`;
}
function count(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return n.toLocaleString('en');
}
function params(n) {
  if (!n) return '—';
  return n >= 1e9 ? `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B` : `${Math.round(n / 1e6)}M`;
}
function date(iso) {
  return iso ? iso.slice(0, 10) : '—';
}
function time(iso) {
  return iso ? iso.replace('T', ' ').replace('Z', ' UTC') : '—';
}
const weights = (model) => (model.files || []).filter((f) => (f.role || 'weights') === 'weights');

// --- will it fit (docs/memory.md) -------------------------------------------------------------------------

const DEFAULT_CONTEXT = '8192';
const contextName = (context) => (Number(context) >= 1024 ? `${Math.round(Number(context) / 1024)}k` : String(context));
const context = () => Number($('#context').value || DEFAULT_CONTEXT);
// the memory budget in bytes, or null when none is asked
function budget() {
  const gb = Number($('#memory').value);
  return $('#memory').value && gb > 0 ? gb * GB : null;
}
// a file's estimate at the chosen context, or null when it has none there
const estimate = (file) => (file.memory || []).find((m) => m.context === context()) || null;
// what a file needs at the chosen context: its total, or why there is none
function need(file, model) {
  const memory = file.memory || [];
  const at = estimate(file);
  if (at && at.total !== null && at.total !== undefined) {
    const parts = `weights ${size(at.weights)} + KV cache ${size(at.kv_cache)} + compute ${size(at.compute)}`
      + ` = ${size(at.total)} at ${at.context.toLocaleString('en')} tokens`
      + (model && model.mmproj_bytes ? ` (vision projector: ${size(model.mmproj_bytes)} more with --mmproj)` : '');
    return { total: at.total, text: size(at.total), title: parts };
  }
  if (memory.length === 0) return { total: null, text: '—', title: 'no memory estimate: not a complete file of known size' };
  if (memory.every((m) => m.context === null)) {
    return { total: null, text: '—', title: `no GGUF header read yet: only the weights are known (${size(memory[0].weights)})` };
  }
  if (!at) {
    const longest = Math.max(...memory.map((m) => m.context || 0));
    return { total: null, text: '—', title: `the model's context ends at ${longest.toLocaleString('en')} tokens` };
  }
  return { total: null, text: '—', title: 'the KV cache of this architecture is not estimated (never guessed)' };
}
// fits (true), does not fit (false), or not asked / not known (null)
function fits(file, model) {
  const limit = budget();
  const total = need(file, model).total;
  return limit === null || total === null ? null : total <= limit;
}
// a vision model's projector, shown beside a total and never in it: llama.cpp loads it only when given --mmproj
function projector(model) {
  if (!model || !model.mmproj_bytes) return null;
  return el('span', { class: 'mmproj muted', title: `vision projector (mmproj): ${size(model.mmproj_bytes)} more when `
    + 'loaded with --mmproj, not in the total' }, `+ ${size(model.mmproj_bytes)} vision`);
}
function fitMark(verdict) {
  if (verdict === true) return el('span', { class: 'fit', title: 'fits the memory you gave' }, '✓ fits');
  if (verdict === false) return el('span', { class: 'nofit', title: 'needs more than the memory you gave' }, '✗ does not fit');
  return null;
}

// --- the list ---------------------------------------------------------------------------------------

// The whole search as the address bar carries it, defaults left out: a bookmark, a shared link or a reload asks it again.
function search() {
  const parameters = new URLSearchParams();
  const put = (name, value) => { if (value) parameters.set(name, value); };
  put('q', $('#q').value.trim());
  put('quantization', $('#quantization').value);
  put('architecture', $('#architecture').value);
  put('max_size_gb', $('#max-size').value);
  put('gated', $('#gated').value);
  put('fits_gb', $('#memory').value);
  if ($('#context').value !== DEFAULT_CONTEXT) put('context', $('#context').value);
  if ($('#sort').value !== 'downloads') put('sort', $('#sort').value);
  if (state.page > 1) parameters.set('page', state.page);
  return parameters;
}

function query() {
  const parameters = search();
  parameters.set('page', state.page);
  parameters.set('page_size', state.pageSize);
  return parameters;
}

// The address bar's search put back into the form (at start, on reload, on back and forward).
function applyLocation() {
  const parameters = new URLSearchParams(location.search);
  const get = (name) => (parameters.get(name) || '').trim();
  $('#q').value = get('q');
  choose($('#quantization'), get('quantization'));
  choose($('#architecture'), get('architecture'));
  $('#max-size').value = get('max_size_gb');
  choose($('#gated'), get('gated'));
  $('#memory').value = get('fits_gb');
  choose($('#context'), get('context') || DEFAULT_CONTEXT);
  choose($('#sort'), get('sort') || 'downloads');
  const page = Number.parseInt(get('page'), 10);
  state.page = page > 0 ? page : 1;
}

// a select set to a value, with an option for it if the list does not offer it (yet): the API judges it
function choose(select, value) {
  if (value && ![...select.options].some((o) => o.value === value)) select.append(el('option', { value }, value));
  select.value = value;
}

// how a search reached the address bar: a new entry (back returns to the previous search) or in place (typing)
function remember(how) {
  const wanted = search().toString();
  if (how === 'none' || wanted === location.search.replace(/^\?/, '')) return;
  const url = location.pathname + (wanted ? `?${wanted}` : '') + location.hash;
  if (how === 'replace') history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

async function load(how = 'push') {
  const request = ++state.request;
  const parameters = query();
  remember(how);
  $('#results').setAttribute('aria-busy', 'true');
  try {
    const result = await api(`/api/models?${parameters}`);
    if (request !== state.request) return;
    render(result);
  } catch (error) {
    if (request !== state.request) return;
    $('#results tbody').replaceChildren();
    $('#summary').textContent = error.status === 503 ? 'No catalog yet: the first sync has not published one. '
      + 'This page retries every few seconds.' : `Cannot load models: ${error.message}`;
    $('#summary').className = error.status === 503 ? 'muted' : 'error';
    if (error.status === 503) setTimeout(() => { if (request === state.request) { loadFilters(); load(); } }, 3000);
  } finally {
    if (request === state.request) $('#results').removeAttribute('aria-busy');
  }
}

function render(result) {
  const pages = Math.max(1, Math.ceil(result.total / state.pageSize));
  $('#summary').className = 'muted';
  $('#summary').textContent = result.total === 0 ? 'No model matches.'
    : `${result.total.toLocaleString('en')} model${result.total === 1 ? '' : 's'}`;
  $('#page-info').textContent = `Page ${result.page} of ${pages.toLocaleString('en')}`;
  $('#prev').disabled = result.page <= 1;
  $('#next').disabled = result.page >= pages;
  const quantization = $('#quantization').value;
  const heading = `Memory at ${contextName(context())}`;
  $('#memory-head').textContent = heading;
  $('#file-memory-head').textContent = heading;
  const rows = result.models.map((model) => {
    const files = weights(model);
    const quants = [...new Set(files.map((f) => f.quantization).filter(Boolean))]
      .sort((a, b) => (b === quantization) - (a === quantization));
    const sizes = files.map((f) => f.size).filter((s) => s !== null && s !== undefined);
    const range = sizes.length === 0 ? '—' : sizes.length === 1 ? size(sizes[0])
      : `${size(Math.min(...sizes))} … ${size(Math.max(...sizes))}`;
    const chip = (q) => {
      const ofQuant = files.filter((f) => f.quantization === q);
      const verdicts = ofQuant.map((f) => fits(f, model));
      const cls = ['chip', q === quantization ? 'on' : null,
        verdicts.includes(true) ? 'fit' : verdicts.includes(false) ? 'nofit' : null].filter(Boolean).join(' ');
      return el('span', { class: cls, title: ofQuant.map((f) => `${q}: ${need(f, model).title}`).join('\n') }, q);
    };
    const shown = quants.slice(0, 6).map(chip);
    if (quants.length > 6) shown.push(el('span', { class: 'more' }, `+${quants.length - 6}`));
    return el('tr', { 'data-id': model.id },
      el('td', {}, el('a', { href: `#/model/${repoPath(model.id)}`, class: 'model-link' }, model.id),
        model.gated && model.gated !== 'false' ? el('span', { class: 'badge', title: `gated (${model.gated})` }, 'gated') : null,
        model.details_pending ? el('span', { class: 'badge pending', title: 'file sizes not read yet' }, 'sizes pending') : null),
      el('td', {}, model.architecture || '—'),
      el('td', { class: 'num' }, params(model.parameters)),
      el('td', { class: 'chips' }, ...shown),
      el('td', { class: 'num' }, range),
      memoryCell(model, files),
      el('td', { class: 'num' }, count(model.downloads)),
      el('td', { class: 'num' }, count(model.likes)),
      el('td', {}, date(model.last_modified)));
  });
  $('#results tbody').replaceChildren(...rows);
}

// The model's totals at the chosen context: the largest file that fits the budget, or the range of totals.
function memoryCell(model, files) {
  const needs = files.map((f) => ({ file: f, need: need(f, model), fits: fits(f, model) }))
    .filter((n) => n.need.total !== null);
  if (needs.length === 0) {
    const reason = files.length ? need(files[0], model).title : 'no weights file';
    return el('td', { class: 'num memory', title: reason }, '—');
  }
  if (budget() !== null) {
    const fitting = needs.filter((n) => n.fits).sort((a, b) => b.need.total - a.need.total);
    if (fitting.length) {
      const best = fitting[0];
      return el('td', { class: 'num memory', title: `${best.file.quantization || best.file.name}: ${best.need.title}` },
        `${best.file.quantization || ''} ${best.need.text} `.trimStart(), fitMark(true), projector(model));
    }
    return el('td', { class: 'num memory' }, fitMark(false));
  }
  const totals = needs.map((n) => n.need.total);
  const smallest = needs.find((n) => n.need.total === Math.min(...totals));
  return el('td', { class: 'num memory', title: smallest.need.title }, totals.length === 1 ? size(totals[0])
    : `${size(Math.min(...totals))} … ${size(Math.max(...totals))}`, projector(model));
}

async function loadFilters() {
  try {
    const filters = await api('/api/filters');
    state.hubUrl = filters.hub_url || state.hubUrl;
    fill($('#quantization'), filters.quantizations);
    fill($('#architecture'), filters.architectures);
  } catch (error) {
    // no catalog yet: the list says so and retries
  }
}

function fill(select, entries) {
  const chosen = select.value;
  const options = (entries || []).map((e) => el('option', { value: e.name }, `${e.name} (${count(e.models)})`));
  select.replaceChildren(el('option', { value: '' }, 'any'), ...options);
  select.value = chosen;
}

// A repo id as the Hub defines it, and a quantisation name: only these go into a copy-paste command (a catalog an
// older version wrote may hold any id; docs/faults.md). Links percent-encode every path segment.
const REPO_ID = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\/[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const QUANTIZATION = /^[A-Za-z0-9_]+$/;
const safeId = (id) => REPO_ID.test(id) && !id.includes('--') && !id.includes('..');
const repoPath = (path) => path.split('/').map((s) => (s === '.' || s === '..' ? s.replace(/\./g, '%2E') : encodeURIComponent(s))).join('/');

// --- one model ----------------------------------------------------------------------------------------

async function showModel(id) {
  const dialog = $('#model');
  try {
    const model = await api(`/api/models/${repoPath(id)}`);
    $('#model-title').replaceChildren(el('a', { href: `${state.hubUrl}/${repoPath(model.id)}`, target: '_blank', rel: 'noopener' }, model.id));
    const facts = [model.architecture, params(model.parameters) + ' parameters',
      model.context_length ? `${count(model.context_length)} context` : null, model.license ? `license ${model.license}` : null,
      `${count(model.downloads)} downloads`, `${count(model.likes)} likes`, `updated ${date(model.last_modified)}`,
      (model.capabilities || []).length ? `capabilities: ${model.capabilities.join(', ')}` : null,
      model.base_model ? `base model ${model.base_model}` : null].filter(Boolean);
    $('#model-facts').textContent = facts.join(' · ');
    $('#model-pending').hidden = !model.details_pending;
    const rows = (model.files || []).map((file) => {
      const url = `${state.hubUrl}/${repoPath(model.id)}/resolve/main/${repoPath(file.name)}`;
      const isWeights = (file.role || 'weights') === 'weights';
      const commands = isWeights && safeId(model.id) && QUANTIZATION.test(file.quantization || '') ? el('div', { class: 'commands' },
        el('code', {}, `llama-server -hf ${model.id}:${file.quantization}`),
        el('code', {}, `ollama run hf.co/${model.id}:${file.quantization}`)) : el('span', { class: 'muted' }, file.role || '');
      const name = el('td', {}, el('a', { href: url, class: 'download', title: url }, file.name));
      if (file.parts > 1) name.append(el('span', { class: 'muted' }, ` (${file.parts} parts${file.complete === false ? ', incomplete' : ''})`));
      const needs = isWeights ? need(file, model) : null;
      const memory = needs ? el('td', { class: 'num memory', title: needs.title }, needs.text, ' ', fitMark(fits(file, model)),
        needs.total === null ? null : projector(model))
        : el('td', { class: 'num muted' }, file.role === 'mmproj' ? 'with --mmproj' : '');
      return el('tr', { class: isWeights ? '' : 'aux' }, name, el('td', {}, file.quantization || '—'),
        el('td', { class: 'num' }, size(file.size)), memory, el('td', {}, commands));
    });
    $('#files tbody').replaceChildren(...rows);
    $('#model-tags').replaceChildren(...(model.tags || []).slice(0, 30).map((t) => el('span', { class: 'tag' }, t)));
    if (!dialog.open) dialog.showModal();
  } catch (error) {
    $('#model-title').textContent = id;
    $('#model-facts').textContent = error.message;
    $('#files tbody').replaceChildren();
    if (!dialog.open) dialog.showModal();
  }
}

function route() {
  const match = location.hash.match(/^#\/model\/(.+)$/);
  if (match) showModel(decodeURIComponent(match[1]));
  else if ($('#model').open) $('#model').close();
}

// --- status panel ---------------------------------------------------------------------------------------

async function loadStatus() {
  let runs;
  try {
    runs = await api('/api/runs');
  } catch (error) {
    $('#last-sync').replaceChildren(el('dt', {}, 'Status'), el('dd', {}, error.status === 503 ? 'waiting for the first sync' : error.message));
    setTimeout(loadStatus, 3000);
    return;
  }
  const last = runs[0];
  const entries = last ? [
    ['Status', last.success ? el('span', { class: 'ok' }, 'succeeded') : el('span', { class: 'error' }, 'failed')],
    ['Mode', last.sync_mode || '—'],
    ['Reason', last.mode_reason || '—'],
    ['Time', time(last.last_sync_time)],
    ['Duration', last.sync_duration === null ? '—' : `${last.sync_duration.toFixed(1)} s`],
    ['Models', last.total_models === null ? '—' : last.total_models.toLocaleString('en')],
    ['Changes', `+${last.models_added ?? 0} added, ${last.models_updated ?? 0} updated, −${last.models_removed ?? 0} removed`],
    ['Details pending', pending(last.details_pending)],
    ['GGUF headers', headers(last)],
    ['Hub calls', last.hub_requests ?? '—'],
    last.error_message ? ['Error', el('span', { class: 'error' }, last.error_message)] : null,
  ].filter(Boolean) : [['Status', 'no run recorded yet']];
  $('#last-sync').replaceChildren(...entries.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
  chart(runs.slice().reverse());
  // a first sync leaves the sizes it has not read to the next runs (backfill): follow them while they arrive
  if (last && (last.details_pending > 0 || last.headers_pending > 0)) setTimeout(loadStatus, 30000);
}

// docs/gguf-headers.md: the last run's header reads, the models still waiting for one, and its /resolve/ calls
function headers(run) {
  if (run.headers_read === null || run.headers_read === undefined) return '—';
  const count = (n) => (n ?? 0).toLocaleString('en');
  const text = `${count(run.headers_read)} read, ${count(run.headers_pending)} pending, `
    + `${count(run.resolver_calls)} resolver calls`;
  return run.headers_pending > 0
    ? el('span', { id: 'headers-arriving', class: 'arriving', title: 'the GGUF headers of these models are read by the '
      + 'next runs and the daemon between syncs, most downloaded first; one read per repo revision' }, text)
    : text;
}

function pending(n) {
  if (n === null || n === undefined) return '—';
  if (n === 0) return 'none: every file size is known';
  return el('span', { id: 'sizes-arriving', class: 'arriving', title: 'the file sizes of these models are read by the '
    + 'next runs (backfill); until then their sizes show as —' }, `Sizes arriving: ${n.toLocaleString('en')} models pending`);
}

function chart(runs) {
  const svg = 'http://www.w3.org/2000/svg';
  const node = (tag, attributes) => {
    const n = document.createElementNS(svg, tag);
    for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, v);
    return n;
  };
  const width = 300, height = 120, pad = 4;
  const root = node('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', class: 'runs' });
  if (runs.length === 0) {
    $('#chart').replaceChildren(root);
    return;
  }
  const changes = (r) => (r.models_added || 0) + (r.models_updated || 0) + (r.models_removed || 0);
  const maxChanges = Math.max(1, ...runs.map(changes));
  const maxCalls = Math.max(1, ...runs.map((r) => r.hub_requests || 0));
  const slot = (width - 2 * pad) / 30;
  const scale = (v, max) => Math.max(v > 0 ? 1 : 0, (v / max) * (height - 2 * pad));
  const points = [];
  runs.forEach((run, i) => {
    const x = pad + (30 - runs.length + i) * slot;
    let y = height - pad;
    for (const [key, cls] of [['models_added', 'added'], ['models_updated', 'updated'], ['models_removed', 'removed']]) {
      const h = scale(run[key] || 0, maxChanges);
      y -= h;
      const bar = node('rect', { x: x + 1, y, width: Math.max(1, slot - 2), height: h, class: cls });
      bar.append(node('title', {}));
      bar.lastChild.textContent = `${time(run.last_sync_time)}: ${run[key] || 0} ${cls}`;
      root.append(bar);
    }
    if (!run.success) root.append(node('rect', { x: x + 1, y: height - pad - 3, width: Math.max(1, slot - 2), height: 3, class: 'failed' }));
    points.push(`${x + slot / 2},${height - pad - scale(run.hub_requests || 0, maxCalls)}`);
  });
  root.append(node('polyline', { points: points.join(' '), class: 'calls' }));
  $('#chart').replaceChildren(root);
}

// --- wiring -----------------------------------------------------------------------------------------

let typing;
$('#q').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => { state.page = 1; load('replace'); }, 250);
});
$('#filters').addEventListener('submit', (event) => { event.preventDefault(); state.page = 1; load(); });
for (const id of ['#quantization', '#architecture', '#gated', '#sort', '#context']) {
  $(id).addEventListener('change', () => { state.page = 1; load(); });
}
$('#max-size').addEventListener('change', () => { state.page = 1; load(); });
$('#memory').addEventListener('change', () => { state.page = 1; load(); });
$('#prev').addEventListener('click', () => { state.page = Math.max(1, state.page - 1); load(); });
$('#next').addEventListener('click', () => { state.page += 1; load(); });
$('#model').addEventListener('close', () => { if (location.hash) history.pushState('', '', location.pathname + location.search); });
window.addEventListener('hashchange', route);
// back and forward between searches: the address bar's search again (a model dialog's hash alone changes nothing here)
window.addEventListener('popstate', () => {
  if (location.search.replace(/^\?/, '') !== search().toString()) {
    applyLocation();
    load('none');
  }
});

applyLocation();
loadFilters().then(() => { applyLocation(); load('none'); });
loadStatus();
route();
