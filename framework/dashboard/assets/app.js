// app.js: the dashboard's main loop: polls /api/v1/status (and the recent jobs) every 2.5 s and
// each plugin's status query every 5 s, and keeps the page's tables up to date in place.

import {api, ApiError, AUTH_HINT, enc, errorText, getToken, scheduleUrl, setToken} from './api.js';
import {PluginPanel} from './panels.js';
import {badge, fill, formatClock, formatDuration, h, kvTable, setMessage, setServerNow, setText,
        syncChildren, timeNode, updateRelativeTimes} from './render.js';

const STATUS_EVERY_MS = 2500;
const PLUGIN_STATUS_EVERY_MS = 5000;
const SETTINGS_EVERY_MS = 30000;
const RECENT_JOBS = 12;
const FINAL = new Set(['completed', 'failed', 'errored']);

const $ = (id) => document.getElementById(id);

const state = {
  status: null,
  lastOkAt: null,
  pollTimer: null,
  pollRunning: false,
  pollSoon: false,
  panels: new Map(),  // plugin name -> PluginPanel
  pluginInfo: new Map(),  // plugin name -> /api/v1/plugins entry
  pluginListKey: '',
  tracked: new Map(),  // job id -> {job, views: Set<HTMLElement>}
  dialogJobId: null,
};

// ---- jobs started from the page ----

function jobLink(id, label) {
  return h('button', {type: 'button', class: 'link mono', testid: 'job-link', dataset: {jobId: String(id)},
                      attrs: {'aria-label': `Show job ${id}`}, on: {click: () => openJob(id)}},
           label || `#${id}`);
}

// A small "job #12 completed" view that follows a job until it ends.
function trackJob(id, view) {
  let t = state.tracked.get(id);
  if (!t) {
    t = {job: {id, status: 'pending'}, views: new Set()};
    state.tracked.set(id, t);
  }
  t.views.add(view);
  renderTracked(t);
}

function renderTracked(t) {
  for (const view of t.views) {
    if (!view.isConnected) {
      t.views.delete(view);
      continue;
    }
    view.dataset.jobId = String(t.job.id);
    view.dataset.status = t.job.status;
    fill(view, [t.job.id, t.job.status, t.job.error], () => [
      jobLink(t.job.id, `job #${t.job.id}`), ' ', badge(t.job.status, {testid: 'tracked-job-status'}),
      t.job.error && t.job.status !== 'completed' ? h('span', {class: 'error-inline small', text: ` ${t.job.error}`}) : null,
    ]);
  }
}

// Follows the jobs started from this page; when one ends, the plugins' status views are
// queried again at once (an approval or a sync changes what they show).
async function refreshTracked() {
  const open = [...state.tracked.values()].filter((t) => !FINAL.has(t.job.status) && t.job.status !== 'unknown');
  let ended = false;
  await Promise.all(open.map(async (t) => {
    try {
      const job = await api('GET', `/api/v1/jobs/${enc(t.job.id)}`);
      if (job && job.status) {
        ended = ended || FINAL.has(job.status);
        t.job = job;
        renderTracked(t);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        t.job = {...t.job, status: 'unknown'};
        renderTracked(t);
      }
    }
  }));
  if (ended) for (const panel of state.panels.values()) panel.refreshStatus(Date.now(), {force: true});
}

// POST /api/v1/jobs; the outcome goes into messageEl. Returns the new job's id or null.
async function runJob(body, messageEl, label) {
  setMessage(messageEl, 'info', `Starting ${label || body.type}…`);
  try {
    const answer = await api('POST', '/api/v1/jobs', body);
    const id = answer && answer.id;
    setMessage(messageEl, 'ok', '');
    messageEl.hidden = false;
    messageEl.replaceChildren();
    const view = h('span', {class: 'tracked-job', testid: 'tracked-job'});
    messageEl.append(`${label ? `${label[0].toUpperCase()}${label.slice(1)}` : body.type}: `, view);
    if (id !== undefined && id !== null) trackJob(id, view);
    schedulePoll(300);
    return id ?? null;
  } catch (e) {
    if (e instanceof ApiError && e.isAuth) authNeeded();
    setMessage(messageEl, 'error', errorText(e));
    return null;
  }
}

// ---- token ----

function authNeeded() {
  const input = $('token-input');
  input.classList.add('attention');
  setText($('token-state'), AUTH_HINT);
}

function setupToken() {
  const input = $('token-input');
  input.value = getToken();
  const show = () => setText($('token-state'), input.value ? 'kept in this browser' : '');
  show();
  input.addEventListener('input', () => {
    setToken(input.value.trim());
    input.classList.remove('attention');
    show();
  });
  $('token-form').addEventListener('submit', (ev) => ev.preventDefault());
}

// ---- status ----

// A change made from the page asks for a poll soon (delay < the rhythm); one asked for while a
// poll is under way runs right after it.
function schedulePoll(delay) {
  if (state.pollRunning) {
    if (delay < STATUS_EVERY_MS) state.pollSoon = true;
    return;
  }
  clearTimeout(state.pollTimer);
  state.pollTimer = setTimeout(poll, delay);
}

async function poll() {
  clearTimeout(state.pollTimer);
  state.pollRunning = true;
  state.pollSoon = false;
  try {
    const [status, jobs] = await Promise.all([
      api('GET', '/api/v1/status'),
      api('GET', `/api/v1/jobs?limit=${RECENT_JOBS}`).catch((e) => ({error: e})),
    ]);
    state.status = status;
    state.lastOkAt = new Date();
    if (status && status.now) setServerNow(status.now);
    render(status, jobs);
    updateRelativeTimes(document);
    showBanner(null);
    await refreshTracked();
    if (state.dialogJobId !== null && $('job-dialog').open) refreshDialog(false);
  } catch (e) {
    showBanner(e);
  } finally {
    state.pollRunning = false;
    schedulePoll(state.pollSoon ? 100 : STATUS_EVERY_MS);
  }
}

function showBanner(err) {
  const banner = $('error-banner');
  const auth = $('auth-banner');
  document.body.classList.toggle('stale', Boolean(err) && Boolean(state.lastOkAt));
  if (!err) {
    banner.hidden = true;
    auth.hidden = true;
    setText($('last-updated'), `Updated ${formatClock(state.lastOkAt)}`);
    $('last-updated').title = state.lastOkAt.toString();
    return;
  }
  const since = state.lastOkAt ? ` The page shows the state of ${formatClock(state.lastOkAt)}.` : '';
  if (err instanceof ApiError && err.isAuth) {
    auth.hidden = false;
    banner.hidden = true;
    setText(auth, `The API needs a token to show anything: ${errorText(err)}${since}`);
    authNeeded();
  } else {
    auth.hidden = true;
    banner.hidden = false;
    const what = err instanceof ApiError && err.status === 0
                     ? `${err.message[0].toUpperCase()}${err.message.slice(1)}`
                     : `The jobhost API answered ${err instanceof ApiError ? err.status : ''}: ${errorText(err)}`;
    setText(banner, `${what.replace(/\.$/, '')}. Retrying every ${STATUS_EVERY_MS / 1000} s.${since}`);
  }
  setText($('last-updated'), state.lastOkAt ? `Last updated ${formatClock(state.lastOkAt)}` : 'Not updated yet');
}

// data-label of every cell of the responsive tables: its column's header (narrow screens show it).
function labelCells() {
  for (const table of document.querySelectorAll('table.responsive')) {
    const labels = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    for (const tr of table.tBodies[0] ? table.tBodies[0].rows : []) {
      [...tr.children].forEach((cell, i) => {
        const label = i === 0 ? '' : labels[i] || '';
        if (cell.dataset.label !== label) cell.dataset.label = label;
      });
    }
  }
}

function render(status, jobs) {
  renderHosts(Array.isArray(status.hosts) ? status.hosts : []);
  setText($('store-desc'), status.store ?? '—');
  renderPlugins(status);
  renderSchedules(Array.isArray(status.schedules) ? status.schedules : []);
  renderRunning(Array.isArray(status.running) ? status.running : []);
  renderFailures(Array.isArray(status.recent_failures) ? status.recent_failures : []);
  renderRecentJobs(jobs);
  labelCells();
}

function renderHosts(hosts) {
  $('hosts-empty').hidden = hosts.length > 0;
  const live = hosts.filter((x) => x.state !== 'lost').length;
  const names = [...new Set(hosts.filter((x) => x.state !== 'lost').map((x) => x.name).filter(Boolean))];
  setText($('host-summary'), hosts.length
      ? `${names.slice(0, 3).join(', ')}${names.length > 3 ? '…' : ''} · ${live} of ${hosts.length} host${hosts.length === 1 ? '' : 's'} live`
      : 'no daemon running');
  syncChildren($('hosts-body'), hosts, (x) => x.instance,
    () => h('tr', {testid: 'host-row'}),
    (tr, x) => {
      tr.dataset.state = x.state;
      fill(tr, [x], () => [
        h('th', {scope: 'row'}, h('span', {class: 'mono', text: x.name || x.instance}),
          x.name && x.instance !== x.name ? h('div', {class: 'muted small mono', text: x.instance}) : null),
        h('td', null, badge(x.state === 'lost' ? 'lost' : 'live', {label: x.state === 'lost' ? 'LOST' : 'live', testid: 'host-state'})),
        h('td', {class: 'mono', text: x.version ?? '—'}),
        h('td', null, x.machine ?? '—', x.pid ? h('span', {class: 'muted', text: ` pid ${x.pid}`}) : null),
        h('td', null, timeNode(x.heartbeat_at)),
        h('td', null, Array.isArray(x.running) && x.running.length
            ? x.running.map((r, i) => [i ? ', ' : '', jobLink(r.id), ` ${r.type}`])
            : h('span', {class: 'muted', text: 'idle'})),
      ]);
    });
}

async function loadPluginInfo() {
  try {
    const answer = await api('GET', '/api/v1/plugins');
    const list = Array.isArray(answer) ? answer : answer && Array.isArray(answer.plugins) ? answer.plugins : [];
    for (const p of list) if (p && p.name) state.pluginInfo.set(p.name, p);
    const refused = answer && Array.isArray(answer.refused) ? answer.refused : [];
    const ul = $('plugins-refused');
    ul.hidden = refused.length === 0;
    fill(ul, refused, () => refused.map((r) => h('li', null,
      h('strong', {text: r.file || r.path || r.name || 'plugin'}), ': ',
      r.reason || r.error || JSON.stringify(r))));
    for (const [name, panel] of state.panels) panel.update({name, version: state.pluginInfo.get(name)?.version}, state.pluginInfo.get(name));
    if (state.status) renderSchedules(Array.isArray(state.status.schedules) ? state.status.schedules : []);
  } catch {
    // The summary from /api/v1/status is enough.
  }
}

function renderPlugins(status) {
  const plugins = (Array.isArray(status.plugins) ? status.plugins : [])
                      .map((p) => (typeof p === 'string' ? {name: p} : p))
                      .filter((p) => p && p.name)
                      .sort((a, b) => a.name.localeCompare(b.name));
  const refused = Array.isArray(status.plugins_refused) ? status.plugins_refused.length : Number(status.plugins_refused) || 0;
  setText($('plugins-summary'), `${plugins.length} loaded${plugins.length ? ` (${plugins.map((p) => p.name).join(', ')})` : ''}, ${refused} refused`);
  const key = plugins.map((p) => `${p.name}@${p.version}`).join(',') + `/${refused}`;
  const changed = key !== state.pluginListKey;
  state.pluginListKey = key;
  const container = $('plugin-panels');
  syncChildren(container, plugins, (p) => p.name,
    (p) => {
      const panel = new PluginPanel(p, {openJob, jobLink, runJob, authNeeded, changed: () => schedulePoll(200)});
      state.panels.set(p.name, panel);
      panel.settings.load({force: true});
      panel.refreshStatus(Date.now());
      panel.el.__panel = panel;
      return panel.el;
    },
    (el, p) => el.__panel.update(p, state.pluginInfo.get(p.name)));
  for (const name of [...state.panels.keys()]) if (!plugins.some((p) => p.name === name)) state.panels.delete(name);
  if (changed) loadPluginInfo();
}

function pollPlugins() {
  const now = Date.now();
  for (const panel of state.panels.values()) {
    panel.refreshStatus(now);
    if (now - panel.settings.lastLoad > SETTINGS_EVERY_MS) {
      panel.settings.lastLoad = now;
      panel.settings.load();
    }
  }
}

// ---- schedules ----

const scheduleKey = (s) => `${s.job_type}\u0000${s.key || ''}`;
const scheduleName = (s) => (s.key ? `${s.job_type} [${s.key}]` : s.job_type);

function createScheduleRow(s) {
  const name = scheduleName(s);
  const tr = h('tr', {testid: 'schedule-row', dataset: {jobType: s.job_type, scheduleKey: s.key || ''}});
  const r = {};
  r.name = h('th', {scope: 'row'}, h('span', {class: 'mono', text: s.job_type}),
             s.key ? h('span', {class: 'chip', text: s.key}) : null);
  r.params = h('div', {class: 'muted small mono'});
  r.name.appendChild(r.params);

  // Timing: the spec, and an inline form to change it.
  r.timing = h('code', {testid: 'schedule-timing'});
  r.source = h('span', {class: 'muted small', testid: 'schedule-source'});
  r.edit = h('button', {type: 'button', class: 'btn btn-quiet btn-small', testid: 'schedule-edit',
                        attrs: {'aria-label': `Change the timing of ${name}`}}, 'Edit');
  // Plugins register some schedules from their settings: those change there, not here.
  r.toSettings = h('button', {type: 'button', class: 'btn btn-quiet btn-small', testid: 'schedule-to-settings', hidden: true,
                              on: {click: () => showPluginSettings(r.toSettings.dataset.plugin)}}, 'Change in settings');
  r.timingView = h('div', {class: 'timing-view'}, r.timing, ' ', r.source, ' ', r.edit, r.toSettings);
  r.timingInput = h('input', {type: 'text', class: 'timing-input', testid: 'schedule-timing-input',
                              attrs: {'aria-label': `New timing of ${name}, e.g. 10m or a cron expression`, spellcheck: 'false'}});
  r.timingSave = h('button', {type: 'submit', class: 'btn btn-primary btn-small', testid: 'schedule-timing-save'}, 'Save');
  r.timingCancel = h('button', {type: 'button', class: 'btn btn-small', testid: 'schedule-timing-cancel'}, 'Cancel');
  r.timingForm = h('form', {class: 'timing-edit', hidden: true}, r.timingInput, r.timingSave, r.timingCancel);
  r.timingError = h('span', {class: 'msg', testid: 'schedule-timing-error', attrs: {'aria-live': 'polite'}, hidden: true});
  r.timingHelp = h('div', {class: 'muted small timing-help', hidden: true, text: 'every: 90s, 10m, 2h, 1d; or a cron expression'});
  const timingCell = h('td', {class: 'timing'}, r.timingView, r.timingForm, r.timingHelp, r.timingError);

  r.enabled = h('input', {type: 'checkbox', role: 'switch', testid: 'schedule-enabled',
                          attrs: {'aria-label': `${name} enabled`}});
  const enabledCell = h('td', null, h('label', {class: 'switch'}, r.enabled, h('span', {class: 'slider', attrs: {'aria-hidden': 'true'}})));
  r.next = h('td', {testid: 'schedule-next-run'});
  r.last = h('td', {testid: 'schedule-last-run'});
  r.outcome = h('td', {testid: 'schedule-last-outcome'});
  r.run = h('button', {type: 'button', class: 'btn btn-small', testid: 'schedule-run-now',
                       attrs: {'aria-label': `Run ${name} now`}}, 'Run now');
  r.message = h('div', {class: 'msg', testid: 'schedule-message', attrs: {'aria-live': 'polite'}, hidden: true});
  const actions = h('td', {class: 'actions'}, r.run, r.message);
  tr.append(r.name, timingCell, enabledCell, r.next, r.last, r.outcome, actions);
  tr.__refs = r;
  tr.__schedule = s;

  const openEditor = () => {
    const spec = tr.__schedule.schedule || '';
    r.timingInput.value = spec.replace(/^every\s+/, '').replace(/\s+jitter.*$/, '');
    r.timingView.hidden = true;
    r.timingForm.hidden = false;
    r.timingHelp.hidden = false;
    setMessage(r.timingError, '', '');
    r.timingInput.focus();
    r.timingInput.select();
  };
  const closeEditor = () => {
    r.timingForm.hidden = true;
    r.timingHelp.hidden = true;
    r.timingView.hidden = false;
  };
  r.edit.addEventListener('click', openEditor);
  r.timingCancel.addEventListener('click', () => {
    closeEditor();
    setMessage(r.timingError, '', '');
  });
  r.timingInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      closeEditor();
      setMessage(r.timingError, '', '');
      r.edit.focus();
    }
  });
  r.timingForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const sched = tr.__schedule;
    const value = r.timingInput.value.trim().replace(/^every\s+/, '');
    if (!value) {
      setMessage(r.timingError, 'error', 'Enter an interval (10m) or a cron expression.');
      return;
    }
    const body = /\s/.test(value) ? {cron: value} : {every: value};
    r.timingSave.disabled = true;
    setMessage(r.timingError, 'info', 'Saving…');
    try {
      const updated = await api('PATCH', scheduleUrl(sched.job_type, sched.key), body);
      closeEditor();
      setMessage(r.timingError, 'ok', 'Saved.');
      setTimeout(() => { if (r.timingError.classList.contains('msg-ok')) setMessage(r.timingError, '', ''); }, 4000);
      if (updated && updated.job_type) updateScheduleRow(tr, updated);
      schedulePoll(200);
    } catch (e) {
      if (e instanceof ApiError && e.isAuth) authNeeded();
      const text = errorText(e);
      const extra = e instanceof ApiError ? e.problems.map((p) => p.message).filter((m) => m && !text.includes(m)) : [];
      setMessage(r.timingError, 'error', extra.length ? `${text} (${extra.join('; ')})` : text);
    } finally {
      r.timingSave.disabled = false;
    }
  });

  r.enabled.addEventListener('change', async () => {
    const sched = tr.__schedule;
    const want = r.enabled.checked;
    r.enabled.disabled = true;
    r.busyToggle = true;
    setMessage(r.message, 'info', want ? 'Enabling…' : 'Disabling…');
    try {
      const updated = await api('PATCH', scheduleUrl(sched.job_type, sched.key), {enabled: want});
      setMessage(r.message, '', '');
      if (updated && updated.job_type) updateScheduleRow(tr, updated);
      schedulePoll(200);
    } catch (e) {
      if (e instanceof ApiError && e.isAuth) authNeeded();
      r.enabled.checked = !want;
      setMessage(r.message, 'error', errorText(e));
    } finally {
      r.busyToggle = false;
      r.enabled.disabled = false;
    }
  });

  const trigger = async (force) => {
    const sched = tr.__schedule;
    const body = {type: sched.job_type};
    if (sched.key) body.key = sched.key;
    if (force) body.force = true;
    r.run.disabled = true;
    try {
      const id = await runJob(body, r.message, force ? 'forced run' : 'manual run');
      if (id === null && !force && !sched.enabled && r.message.classList.contains('msg-error')) {
        r.message.append(' ', h('button', {type: 'button', class: 'btn btn-small', testid: 'schedule-run-anyway',
                                           on: {click: () => trigger(true)}}, 'Run anyway'));
      }
    } finally {
      r.run.disabled = false;
    }
  };
  r.run.addEventListener('click', () => trigger(false));
  return tr;
}

function updateScheduleRow(tr, s) {
  tr.__schedule = s;
  const r = tr.__refs;
  tr.dataset.enabled = String(Boolean(s.enabled));
  tr.classList.toggle('disabled', !s.enabled);
  const params = s.params && typeof s.params === 'object' && Object.keys(s.params).length ? JSON.stringify(s.params) : '';
  setText(r.params, params);
  setText(r.timing, s.schedule || '—');
  setText(r.source, s.source ? `(${s.source})` : '');
  const owner = s.source === 'plugin' || s.key ? pluginOfJobType(s.job_type) : null;
  r.source.title = s.source === 'plugin' ? `registered by ${owner || 'its plugin'} from its settings`
                   : s.source === 'config' ? 'set by the schedules: section of the configuration' : '';
  r.edit.hidden = Boolean(owner) && r.timingForm.hidden;
  r.toSettings.hidden = !owner;
  if (owner) {
    r.toSettings.dataset.plugin = owner;
    r.toSettings.setAttribute('aria-label', `Change the timing of ${scheduleName(s)} in the settings of ${owner}`);
  }
  if (!r.busyToggle) r.enabled.checked = Boolean(s.enabled);
  fill(r.next, [s.enabled, s.next_run_at], () =>
    s.enabled ? timeNode(s.next_run_at, {empty: 'not planned'}) : h('span', {class: 'muted', text: 'disabled'}));
  fill(r.last, [s.last_fired_at, s.last_job_id], () =>
    s.last_fired_at ? [timeNode(s.last_fired_at), s.last_job_id ? [' ', jobLink(s.last_job_id)] : null]
                    : h('span', {class: 'muted', text: 'never'}));
  r.outcome.dataset.outcome = s.last_outcome || '';
  fill(r.outcome, [s.last_outcome], () =>
    s.last_outcome ? badge(s.last_outcome, {testid: 'schedule-outcome-badge'}) : h('span', {class: 'muted', text: 'never ran'}));
}

function pluginOfJobType(jobType) {
  for (const [name, info] of state.pluginInfo) {
    const types = Array.isArray(info.job_types) ? info.job_types : [];
    if (types.some((t) => (typeof t === 'string' ? t : t && t.name) === jobType)) return name;
  }
  return null;
}

function showPluginSettings(plugin) {
  const panel = state.panels.get(plugin);
  if (!panel) return;
  panel.settings.el.scrollIntoView({behavior: 'smooth', block: 'start'});
  const first = panel.settings.el.querySelector('input, select');
  if (first) first.focus({preventScroll: true});
}

function renderSchedules(schedules) {
  $('schedules-empty').hidden = schedules.length > 0;
  const sorted = [...schedules].sort((a, b) => scheduleName(a).localeCompare(scheduleName(b)));
  syncChildren($('schedules-body'), sorted, scheduleKey, createScheduleRow, updateScheduleRow);
}

// ---- running, failures, recent jobs ----

function progressNode(p) {
  const done = p && p.done !== null && p.done !== undefined ? Number(p.done) : null;
  const total = p && p.total !== null && p.total !== undefined ? Number(p.total) : null;
  const message = p && p.message ? p.message : '';
  const pct = done !== null && total ? Math.max(0, Math.min(100, (done / total) * 100)) : null;
  const bar = h('div', {class: `progress${pct === null ? ' indeterminate' : ''}`, role: 'progressbar', testid: 'progress',
                        attrs: {'aria-valuemin': 0, 'aria-valuemax': total || 100, ...(done !== null ? {'aria-valuenow': done} : {}),
                                'aria-label': 'progress'}},
                h('div', {class: 'bar', style: pct === null ? '' : `width: ${pct.toFixed(1)}%`}));
  const label = [done !== null ? (total ? `${done} / ${total}` : `${done}`) : '', pct !== null ? `(${Math.floor(pct)} %)` : '', message]
                    .filter(Boolean).join(' ');
  return [bar, h('div', {class: 'small progress-label', testid: 'progress-label', text: label || 'working…'})];
}

function renderRunning(running) {
  $('running-empty').hidden = running.length > 0;
  $('running-table').hidden = running.length === 0;
  syncChildren($('running-body'), running, (j) => j.id, () => h('tr', {testid: 'running-row'}), (tr, j) => {
    tr.dataset.jobId = String(j.id);
    fill(tr, [j.id, j.type, j.key, j.host, j.started_at, j.progress], () => [
      h('td', null, jobLink(j.id)),
      h('td', null, h('span', {class: 'mono', text: j.type}), j.key ? h('span', {class: 'chip', text: j.key}) : null),
      h('td', {class: 'mono small', text: j.host ?? '—'}),
      h('td', null, timeNode(j.started_at)),
      h('td', {class: 'col-progress'}, progressNode(j.progress)),
    ]);
  });
}

function renderFailures(failures) {
  const sorted = [...failures].sort((a, b) => String(b.finished_at || b.created_at || '').localeCompare(String(a.finished_at || a.created_at || '')) || b.id - a.id);
  $('failures-empty').hidden = sorted.length > 0;
  syncChildren($('failures-list'), sorted, (j) => j.id, () => h('li', {testid: 'failure'}), (li, j) => {
    li.dataset.jobId = String(j.id);
    fill(li, [j.id, j.status, j.error, j.finished_at], () => [
      h('div', {class: 'failure-head'}, jobLink(j.id), ' ', h('span', {class: 'mono', text: j.type}),
        j.key ? h('span', {class: 'chip', text: j.key}) : null, ' ', badge(j.status), ' ',
        h('span', {class: 'muted small'}, timeNode(j.finished_at || j.created_at))),
      h('pre', {class: 'error-text', testid: 'failure-error', text: j.error || '(no error message)'}),
    ]);
  });
}

function renderRecentJobs(answer) {
  const body = $('jobs-body');
  if (!answer || answer.error) {
    const e = answer && answer.error;
    $('jobs-empty').hidden = false;
    setText($('jobs-empty'), e ? `Cannot list the jobs: ${errorText(e)}` : 'No jobs yet.');
    return;
  }
  const jobs = Array.isArray(answer) ? answer : Array.isArray(answer.jobs) ? answer.jobs : [];
  $('jobs-empty').hidden = jobs.length > 0;
  setText($('jobs-empty'), 'No jobs yet.');
  syncChildren(body, jobs, (j) => j.id, () => h('tr', {testid: 'job-row'}), (tr, j) => {
    tr.dataset.jobId = String(j.id);
    tr.dataset.type = j.type;
    tr.dataset.status = j.status;
    fill(tr, [j.id, j.type, j.key, j.origin, j.status, j.created_at, j.duration_s], () => [
      h('td', null, jobLink(j.id)),
      h('td', null, h('span', {class: 'mono', text: j.type}), j.key ? h('span', {class: 'chip', text: j.key}) : null),
      h('td', {class: 'small', text: j.origin ?? ''}),
      h('td', null, badge(j.status, {testid: 'job-status'})),
      h('td', null, timeNode(j.created_at)),
      h('td', {class: 'num small', text: formatDuration(j.duration_s)}),
    ]);
  });
}

// ---- the job dialog ----

function openJob(id) {
  const dialog = $('job-dialog');
  state.dialogJobId = id;
  setText($('job-dialog-title'), `Job #${id}`);
  $('job-dialog-body').replaceChildren(h('p', {class: 'muted', text: 'Loading…'}));
  $('job-dialog-body').__sig = undefined;
  if (!dialog.open) dialog.showModal();
  refreshDialog(true);
}

async function refreshDialog(first) {
  const id = state.dialogJobId;
  const body = $('job-dialog-body');
  if (!first && body.__final) return;
  try {
    const job = await api('GET', `/api/v1/jobs/${enc(id)}`);
    if (state.dialogJobId !== id) return;
    body.__final = FINAL.has(job.status);
    setText($('job-dialog-title'), `Job #${job.id} · ${job.type}`);
    fill(body, job, () => jobDetails(job));
  } catch (e) {
    if (state.dialogJobId !== id) return;
    body.__sig = undefined;
    body.replaceChildren(h('p', {class: 'msg msg-error', text: `Cannot load job ${id}: ${errorText(e)}`}));
  }
}

function jsonBlock(value) {
  return h('pre', {class: 'json', text: JSON.stringify(value, null, 2)});
}

function jobDetails(job) {
  const parts = [];
  parts.push(h('dl', {class: 'kv', testid: 'job-summary'},
    h('dt', {text: 'Status'}), h('dd', null, badge(job.status, {testid: 'job-dialog-status'}),
                                 job.attempt ? h('span', {class: 'muted', text: ` attempt ${job.attempt}${job.max_attempts ? ` of ${job.max_attempts}` : ''}`}) : null),
    job.key ? [h('dt', {text: 'Key'}), h('dd', {class: 'mono', text: job.key})] : null,
    h('dt', {text: 'Origin'}), h('dd', {text: job.origin ?? '—'}),
    h('dt', {text: 'Host'}), h('dd', {class: 'mono', text: job.host ?? '—'}),
    h('dt', {text: 'Created'}), h('dd', null, timeNode(job.created_at)),
    h('dt', {text: 'Started'}), h('dd', null, timeNode(job.started_at, {empty: 'not yet'})),
    h('dt', {text: 'Finished'}), h('dd', null, timeNode(job.finished_at, {empty: 'not yet'})),
    job.duration_s !== null && job.duration_s !== undefined ? [h('dt', {text: 'Took'}), h('dd', {text: formatDuration(job.duration_s)})] : null,
    job.status === 'running' && job.progress ? [h('dt', {text: 'Progress'}), h('dd', {class: 'col-progress'}, progressNode(job.progress))] : null));
  if (job.error) parts.push(h('h3', {text: 'Error'}), h('pre', {class: 'error-text', testid: 'job-dialog-error', text: job.error}));
  if (job.params && typeof job.params === 'object' && Object.keys(job.params).length) {
    parts.push(h('h3', {text: 'Parameters'}), kvTable(job.params));
  }
  const data = job.job_data || {};
  if (data.result !== null && data.result !== undefined) parts.push(h('h3', {text: 'Result'}), jsonBlock(data.result));
  for (const k of ['data', 'pre_data', 'post_data']) {
    if (data[k] !== null && data[k] !== undefined) {
      parts.push(h('details', null, h('summary', {text: k.replace('_', ' ')}), jsonBlock(data[k])));
    }
  }
  const events = Array.isArray(job.events) ? job.events : [];
  parts.push(h('h3', {text: `Events (${events.length})`}));
  if (events.length === 0) {
    parts.push(h('p', {class: 'muted', text: 'No events.'}));
  } else {
    parts.push(h('ol', {class: 'events', testid: 'job-events'}, events.map((ev) => {
      const extra = {};
      for (const k of ['result', 'exception', 'data', 'pre_data', 'post_data', 'signal_id']) {
        if (ev[k] !== null && ev[k] !== undefined) extra[k] = ev[k];
      }
      return h('li', {class: `event level-${ev.level || 'info'}`, testid: 'job-event'},
        h('div', {class: 'event-head'}, h('span', {class: 'small'}, timeNode(ev.time, {withRelative: false})), ' ',
          badge(ev.level || 'info', {label: ev.level || 'info'}), ' ', h('span', {class: 'mono small', text: ev.name || ''})),
        h('div', {class: 'event-message', text: ev.message || ''}),
        Object.keys(extra).length ? h('details', null, h('summary', {text: 'details'}), jsonBlock(extra)) : null);
    })));
  }
  return parts;
}

function setupDialog() {
  const dialog = $('job-dialog');
  $('job-dialog-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    state.dialogJobId = null;
  });
  // A click on the backdrop closes it.
  dialog.addEventListener('click', (ev) => {
    if (ev.target === dialog) dialog.close();
  });
}

// ---- start ----

function start() {
  setupToken();
  setupDialog();
  poll();
  setInterval(pollPlugins, PLUGIN_STATUS_EVERY_MS);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
