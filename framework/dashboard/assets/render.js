// render.js: DOM helpers (text goes in as text, never as HTML), time formatting, status badges
// and a generic renderer of any JSON value as tables.

// h('td', {class: 'x', testid: 'y', on: {click: f}}, 'text', node, [more], null)
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') el.className = value;
      else if (name === 'text') el.textContent = String(value);
      else if (name === 'testid') el.setAttribute('data-testid', value);
      else if (name === 'dataset') Object.assign(el.dataset, value);
      else if (name === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
      else if (name === 'attrs') for (const [a, v] of Object.entries(value)) el.setAttribute(a, String(v));
      else if (name in el) el[name] = value;  // properties: value, checked, disabled, htmlFor, ...
      else el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

// Replaces an element's content; a no-op when `signature` equals the last one (so that polling
// does not rebuild what did not change, and focus and selection stay where they are).
export function fill(el, signature, build) {
  const sig = typeof signature === 'string' ? signature : JSON.stringify(signature);
  if (el.__sig === sig) return false;
  el.__sig = sig;
  el.replaceChildren();
  append(el, [build()]);
  return true;
}

export function setText(el, text) {
  const t = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== t) el.textContent = t;
}

// Keeps parent's children in the order of `items`, one element per key: existing ones are
// updated in place, new ones created, stale ones removed.
export function syncChildren(parent, items, keyOf, create, update) {
  const existing = new Map();
  for (const child of Array.from(parent.children)) {
    if (child.dataset.key !== undefined) existing.set(child.dataset.key, child);
    else child.remove();
  }
  let previous = null;
  for (const item of items) {
    const key = String(keyOf(item));
    let el = existing.get(key);
    if (el) existing.delete(key);
    else {
      el = create(item);
      el.dataset.key = key;
    }
    update(el, item);
    const wanted = previous ? previous.nextElementSibling : parent.firstElementChild;
    if (el !== wanted) parent.insertBefore(el, wanted);
    previous = el;
  }
  for (const el of existing.values()) el.remove();
}

// ---- time ----

// Server time minus browser time (ms), from the status answer's `now`: relative times use it
// so that a browser with a wrong clock still says "in 4 min" correctly.
let clockOffsetMs = 0;
export function setServerNow(iso) {
  const t = Date.parse(iso);
  if (!Number.isNaN(t)) clockOffsetMs = t - Date.now();
}
export function serverNowMs() {
  return Date.now() + clockOffsetMs;
}

const pad = (n) => String(n).padStart(2, '0');

export function formatClock(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

// "14:05:09" today, "Mar 3 14:05" otherwise (local time).
export function formatTime(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const d = new Date(t);
  const now = new Date(serverNowMs());
  if (d.toDateString() === now.toDateString()) return formatClock(d);
  const month = d.toLocaleString(undefined, {month: 'short'});
  const year = d.getFullYear() === now.getFullYear() ? '' : ` ${d.getFullYear()}`;
  return `${month} ${d.getDate()}${year} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatSpan(ms) {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return m % 60 && hours < 10 ? `${hours} h ${m % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

export function relative(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const diff = t - serverNowMs();
  if (Math.abs(diff) < 1500) return 'now';
  return diff > 0 ? `in ${formatSpan(diff)}` : `${formatSpan(diff)} ago`;
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return '';
  const s = Number(seconds);
  if (s < 1) return `${Math.max(1, Math.round(s * 1000))} ms`;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return formatSpan(s * 1000);
}

// <time> with the local time and, optionally, "(in 4 min)".
export function timeNode(iso, {withRelative = true, empty = '—'} = {}) {
  if (!iso) return h('span', {class: 'muted', text: empty});
  const rel = withRelative ? relative(iso) : '';
  return h('time', {attrs: {datetime: iso}, title: new Date(Date.parse(iso)).toString()},
           formatTime(iso), rel ? h('span', {class: 'muted rel', text: ` (${rel})`}) : null);
}

// Brings every "(in 4 min)" / "(3 s ago)" under root up to date, without rebuilding anything.
export function updateRelativeTimes(root) {
  for (const rel of root.querySelectorAll('time[datetime] > .rel')) {
    const text = relative(rel.parentElement.getAttribute('datetime'));
    setText(rel, text ? ` (${text})` : '');
  }
}

export const isIsoTime = (v) =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/.test(v);

// ---- badges ----

const BADGE_KIND = {
  completed: 'ok', ok: 'ok', live: 'ok', synced: 'ok', in_sync: 'ok', success: 'ok',
  approved: 'ok', enabled: 'ok', healthy: 'ok', connected: 'ok',
  failed: 'bad', errored: 'bad', error: 'bad', lost: 'bad', out_of_sync: 'bad', crashed: 'bad',
  timed_out: 'bad', unreachable: 'bad',
  running: 'info', syncing: 'info', pending: 'wait', scheduled: 'wait', queued: 'wait',
  review: 'wait', stale: 'wait', never_synced: 'neutral', skipped: 'neutral',
  warning: 'wait', warn: 'wait',
  rejected: 'neutral', superseded: 'neutral', disabled: 'neutral', unchecked: 'neutral',
};

export function badgeKind(word) {
  const w = String(word || '').toLowerCase();
  return BADGE_KIND[w] || 'neutral';
}

export function badge(word, {label, testid} = {}) {
  const text = label || String(word).replaceAll('_', ' ');
  return h('span', {class: `badge badge-${badgeKind(word)}`, testid: testid || 'badge',
                    dataset: {status: String(word).toLowerCase()}},
           text);
}

// ---- generic JSON ----

const humanize = (key) => String(key).replaceAll('_', ' ');

export function scalarNode(value) {
  if (value === null || value === undefined) return h('span', {class: 'muted', text: '—'});
  if (typeof value === 'boolean') return h('span', {text: value ? 'yes' : 'no'});
  if (isIsoTime(value)) return timeNode(value);
  return h('span', {class: typeof value === 'number' ? 'num' : 'text-value', text: String(value)});
}

// Any JSON value as readable nodes: objects as key/value tables, arrays of objects as tables,
// deeper levels as compact JSON.
export function valueNode(value, depth = 0) {
  if (value === null || typeof value !== 'object') return scalarNode(value);
  if (depth >= 3) return h('code', {class: 'json-inline', text: JSON.stringify(value)});
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', {class: 'muted', text: 'none'});
    if (value.every((v) => v === null || typeof v !== 'object')) {
      return h('span', {class: 'text-value', text: value.map((v) => (v === null ? '—' : String(v))).join(', ')});
    }
    if (value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) return objectsTable(value, depth);
    return h('ul', {class: 'plain-list'}, value.map((v) => h('li', null, valueNode(v, depth + 1))));
  }
  return kvTable(value, depth);
}

export function kvTable(object, depth = 0, {testid} = {}) {
  const keys = Object.keys(object);
  if (keys.length === 0) return h('span', {class: 'muted', text: 'empty'});
  return h('table', {class: 'kv-table', testid},
           h('tbody', null, keys.map((k) => h('tr', null,
                                             h('th', {scope: 'row', text: humanize(k)}),
                                             h('td', null, valueNode(object[k], depth + 1))))));
}

export function objectsTable(rows, depth = 0, {limit = 50, testid} = {}) {
  const columns = [];
  for (const row of rows.slice(0, limit)) {
    for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  }
  const table = h('table', {class: 'data compact', testid},
                  h('thead', null, h('tr', null, columns.map((c) => h('th', {scope: 'col', text: humanize(c)})))),
                  h('tbody', null, rows.slice(0, limit).map((row) =>
                    h('tr', null, columns.map((c) => h('td', null, valueNode(row[c], depth + 1)))))));
  const wrap = h('div', {class: 'table-wrap'}, table);
  if (rows.length > limit) wrap.appendChild(h('p', {class: 'muted small', text: `and ${rows.length - limit} more`}));
  return wrap;
}

// A status message next to a control: kind 'error' | 'ok' | 'info' | '' (clears).
export function setMessage(el, kind, text) {
  el.className = `msg${kind ? ` msg-${kind}` : ''}`;
  setText(el, text || '');
  el.hidden = !text;
}
