// panels.js: one panel per loaded plugin: its status query (Meraki, Zabbix and Hedgehog get
// their own views, any other plugin a key/value table) and a form for its settings.

import {api, ApiError, enc, errorText} from './api.js';
import {badge, fill, formatClock, h, kvTable, setMessage, setText, timeNode, valueNode} from './render.js';

const NO_QUERY_RECHECK_MS = 60000;

// ctx: {openJob(id), runJob(body, messageEl) -> Promise<job id|null>, jobLink(id)}
export class PluginPanel {
  constructor(plugin, ctx) {
    this.name = plugin.name;
    this.ctx = ctx;
    this.noQueryAt = 0;  // when the status query answered 404
    this.statusInFlight = false;
    this.settingsLoaded = false;
    this.settingsLoadedAt = 0;

    const id = `plugin-${this.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    this.title = h('h2', {id: `${id}-title`, text: this.name});
    this.version = h('span', {class: 'muted', testid: 'plugin-version'});
    this.description = h('p', {class: 'muted plugin-description', hidden: true});
    this.statusBody = h('div', {class: 'plugin-status-body', testid: 'plugin-status',
                                attrs: {'aria-live': 'off'}}, h('p', {class: 'muted', text: 'Loading…'}));
    this.statusNote = h('p', {class: 'muted small', testid: 'plugin-status-updated'});
    this.actionMsg = h('p', {class: 'msg', testid: 'plugin-action-status', attrs: {'aria-live': 'polite'}, hidden: true});
    this.settings = new SettingsForm(this.name, ctx);
    this.el = h('section', {class: 'card plugin-panel', testid: 'plugin-panel', dataset: {plugin: this.name},
                            attrs: {'aria-labelledby': `${id}-title`}},
                h('div', {class: 'plugin-head'}, this.title, this.version),
                this.description,
                h('div', {class: 'plugin-grid'},
                  h('div', {class: 'plugin-status'}, h('h3', {text: 'Status'}), this.actionMsg, this.statusBody, this.statusNote),
                  this.settings.el));
  }

  update(plugin, info) {
    setText(this.version, plugin.version ? `version ${plugin.version}` : '');
    const description = info && info.description;
    setText(this.description, description || '');
    this.description.hidden = !description;
  }

  // force: now, even if a query is under way (then once more after it) or there was none.
  async refreshStatus(now, {force = false} = {}) {
    if (this.statusInFlight) {
      if (force) this.again = true;
      return;
    }
    if (!force && this.noQueryAt && now - this.noQueryAt < NO_QUERY_RECHECK_MS) return;
    this.statusInFlight = true;
    try {
      const answer = await api('GET', `/api/v1/plugins/${enc(this.name)}/status`);
      this.noQueryAt = 0;
      let result = answer && 'result' in answer ? answer.result : answer;
      if (typeof result === 'string') {
        try {
          result = JSON.parse(result);
        } catch {
          // a plain text result stays text
        }
      }
      fill(this.statusBody, result, () => this.renderStatus(result));
      this.statusBody.classList.remove('stale');
      const query = answer && answer.query ? ` (${answer.query})` : '';
      setText(this.statusNote, `Status query${query} run at ${formatClock(new Date())}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        this.noQueryAt = now;
        fill(this.statusBody, 'no-query', () =>
          h('p', {class: 'muted', testid: 'plugin-no-status'}, 'This plugin has no status query.'));
        setText(this.statusNote, '');
      } else {
        this.statusBody.classList.add('stale');
        setText(this.statusNote, `Status query failed: ${errorText(e)}`);
      }
    } finally {
      this.statusInFlight = false;
      if (this.again) {
        this.again = false;
        this.refreshStatus(Date.now(), {force: true});
      }
    }
  }

  renderStatus(result) {
    if (result === null || result === undefined) return h('p', {class: 'muted', text: 'The status query returned nothing.'});
    if (typeof result !== 'object' || Array.isArray(result)) return valueNode(result);
    const lower = this.name.toLowerCase();
    let view = null;
    try {
      if (lower.startsWith('meraki') || 'pending_change_sets' in result) view = merakiStatus(result, this);
      else if (lower.startsWith('zabbix')) view = zabbixStatus(result, this);
      else if (lower.startsWith('hedgehog') || Array.isArray(result.fabrics)) view = hedgehogStatus(result, this);
    } catch (e) {
      console.error(`rendering the status of ${this.name}`, e);
      view = null;
    }
    return view || kvTable(result, 0, {testid: 'plugin-status-table'});
  }

  async runAction(body, label) {
    await this.ctx.runJob(body, this.actionMsg, label);
  }
}

// ---- known status results ----

// Builds a view from the fields it knows; the other top-level fields follow in a generic
// table. Returns null when it recognized none (the caller falls back to the generic table).
function withRest(result, known, parts) {
  const recognized = known.filter((k) => k in result);
  if (recognized.length === 0) return null;
  const rest = {};
  for (const [k, v] of Object.entries(result)) if (!known.includes(k)) rest[k] = v;
  const out = h('div', {class: 'status-view'}, parts);
  if (Object.keys(rest).length) {
    out.appendChild(h('h4', {text: 'Other fields'}));
    out.appendChild(kvTable(rest, 0, {testid: 'plugin-status-rest'}));
  }
  return out;
}

function dl(pairs, testid) {
  return h('dl', {class: 'kv', testid},
           pairs.filter(Boolean).map(([term, def]) => [h('dt', {text: term}), h('dd', null, def)]));
}

function num(v) {
  const n = Number(v);
  return v === null || v === undefined || Number.isNaN(n) ? null : n;
}

function merakiStatus(r, panel) {
  const known = ['enable_scheduled_sync', 'sync_interval_minutes', 'scheduled_sync_mode', 'schedule',
                 'last_scheduled_sync', 'last_scheduled_outcome', 'next_scheduled_sync', 'last_sync',
                 'organizations', 'pending_change_sets'];
  const parts = [];
  const scheduleText = r.enable_scheduled_sync === false
                           ? 'off (enable_scheduled_sync is false)'
                           : [r.schedule && r.schedule.when ? r.schedule.when
                                                             : r.sync_interval_minutes ? `every ${r.sync_interval_minutes} min` : null,
                              r.scheduled_sync_mode ? `mode ${r.scheduled_sync_mode}` : null,
                              r.schedule && r.schedule.enabled === false ? 'schedule disabled' : null]
                                 .filter(Boolean).join(', ') || '—';
  const last = r.last_sync;
  parts.push(dl([
    ['Scheduled sync', h('span', {testid: 'meraki-schedule', text: scheduleText})],
    ['Last scheduled sync', h('span', null, timeNode(r.last_scheduled_sync, {empty: 'never'}), ' ',
                              r.last_scheduled_outcome ? badge(r.last_scheduled_outcome) : null)],
    ['Next scheduled sync', timeNode(r.next_scheduled_sync, {empty: '—'})],
    ['Last sync', last && typeof last === 'object'
                      ? h('span', {testid: 'meraki-last-sync'}, badge(last.status || 'unknown'), ' ',
                          last.job_id ? panel.ctx.jobLink(last.job_id) : null, ' ',
                          last.finished_at ? timeNode(last.finished_at)
                                           : last.started_at ? h('span', null, 'started ', timeNode(last.started_at)) : null,
                          last.retry_at ? h('span', {class: 'muted'}, ' · retry ', timeNode(last.retry_at)) : null)
                      : h('span', {class: 'muted', testid: 'meraki-last-sync', text: 'never synced'})],
  ], 'meraki-summary'));
  if (last && last.error) parts.push(h('pre', {class: 'error-text', testid: 'meraki-last-error', text: last.error}));

  parts.push(h('h4', {text: 'Organizations'}));
  const orgs = Array.isArray(r.organizations) ? r.organizations : [];
  if (orgs.length === 0) {
    parts.push(h('p', {class: 'muted', text: 'None synced yet.'}));
  } else {
    parts.push(h('div', {class: 'table-wrap'}, h('table', {class: 'data compact', testid: 'meraki-organizations'},
      h('thead', null, h('tr', null, ['Organization', 'Id', 'Sites', 'Devices', 'Last synced'].map((c) => h('th', {scope: 'col', text: c})))),
      h('tbody', null, orgs.map((o) => h('tr', null,
        h('td', {text: o.name ?? '—'}), h('td', {class: 'mono', text: o.id ?? '—'}),
        h('td', {class: 'num', text: o.sites ?? '—'}), h('td', {class: 'num', text: o.devices ?? '—'}),
        h('td', null, timeNode(o.last_synced_at, {empty: 'never'}))))))));
  }

  parts.push(h('h4', {text: 'Change sets waiting for review'}));
  const sets = Array.isArray(r.pending_change_sets) ? r.pending_change_sets : [];
  if (sets.length === 0) {
    parts.push(h('p', {class: 'muted', testid: 'meraki-no-change-sets', text: 'No change set is waiting for review.'}));
  } else {
    const rows = sets.map((s) => h('tr', {testid: 'meraki-change-set', dataset: {changeSet: String(s.id)}},
      h('td', {class: 'mono', text: `#${s.id}`}),
      h('td', {class: 'num', text: s.changes ?? '—'}),
      h('td', null, timeNode(s.created_at)),
      h('td', {class: 'actions'}, changeSetButtons(s, panel))));
    parts.push(h('div', {class: 'table-wrap'}, h('table', {class: 'data compact', testid: 'meraki-change-sets'},
      h('thead', null, h('tr', null, ['Change set', 'Changes', 'Created', ''].map((c) => h('th', {scope: 'col', text: c})))),
      h('tbody', null, rows))));
  }
  return withRest(r, known, parts);
}

function changeSetButtons(s, panel) {
  const approve = () => panel.runAction({type: 'meraki.approve', params: {change_set: s.id}},
                                        `approval of change set #${s.id}`);
  const reject = () => {
    if (!window.confirm(`Reject change set #${s.id}? The inventory stays as it is.`)) return;
    panel.runAction({type: 'meraki.reject', params: {change_set: s.id}}, `rejection of change set #${s.id}`);
  };
  return [
    h('button', {type: 'button', class: 'btn btn-primary btn-small', testid: 'meraki-approve',
                 attrs: {'aria-label': `Approve change set ${s.id}`}, on: {click: approve}}, 'Approve'),
    ' ',
    h('button', {type: 'button', class: 'btn btn-small', testid: 'meraki-reject',
                 attrs: {'aria-label': `Reject change set ${s.id}`}, on: {click: reject}}, 'Reject'),
  ];
}

// Zabbix (zabbix.status): an overall word, counts of HostConfigs by state, the hosts out of
// sync and those whose check failed, the last and next refresh. Read tolerantly: counts may be
// top-level numbers, the lists plain arrays or {hosts, truncated}.
function zabbixStatus(r, panel) {
  const counts = r.counts && typeof r.counts === 'object' && !Array.isArray(r.counts) ? r.counts : r;
  const pick = (...names) => {
    for (const n of names) {
      if (typeof counts[n] === 'number') return counts[n];
    }
    return null;
  };
  const listOf = (v) => (Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray(v.hosts) ? v.hosts : null);
  const inSync = pick('in_sync', 'hosts_in_sync');
  const outOfSync = pick('out_of_sync', 'hosts_out_of_sync');
  const failed = pick('failed', 'hosts_failed');
  const unchecked = pick('unchecked', 'never_checked');
  const total = typeof r.hosts === 'number' ? r.hosts : typeof counts.total === 'number' ? counts.total : null;
  let outList = listOf(r.out_of_sync) || listOf(r.out_of_sync_hosts);
  if (!outList && Array.isArray(r.hosts)) outList = r.hosts.filter((x) => x && x.in_sync === false);
  const failedList = listOf(r.failed);
  if (inSync === null && outOfSync === null && !outList) return null;

  const parts = [];
  parts.push(h('p', {class: 'badges', testid: 'zabbix-counts'},
               typeof r.status === 'string' ? badge(r.status, {testid: 'zabbix-overall'}) : null,
               inSync !== null ? badge('in_sync', {label: `${inSync} in sync`, testid: 'zabbix-in-sync'}) : null,
               outOfSync !== null ? badge(outOfSync > 0 ? 'out_of_sync' : 'neutral',
                                          {label: `${outOfSync} out of sync`, testid: 'zabbix-out-of-sync'}) : null,
               failed !== null ? badge(failed > 0 ? 'failed' : 'neutral', {label: `${failed} failed`, testid: 'zabbix-failed'}) : null,
               unchecked ? badge('unchecked', {label: `${unchecked} not checked yet`}) : null,
               total !== null ? h('span', {class: 'muted', text: `${total} hosts in total`}) : null));
  const refresh = r.last_refresh && typeof r.last_refresh === 'object' ? r.last_refresh : null;
  const sched = r.refresh_schedule && typeof r.refresh_schedule === 'object' ? r.refresh_schedule : null;
  if ('last_refresh' in r || 'next_refresh' in r || 'last_host_check' in r || sched) {
    parts.push(dl([
      sched ? ['Refresh', h('span', {text: [sched.when, sched.enabled === false ? 'disabled' : null].filter(Boolean).join(', ') || '—'})] : null,
      ['Last refresh', refresh
          ? h('span', {testid: 'zabbix-last-refresh'}, badge(refresh.status || 'unknown'), ' ',
              refresh.job_id ? panel.ctx.jobLink(refresh.job_id) : null, ' ',
              timeNode(refresh.finished_at || refresh.started_at, {empty: ''}),
              refresh.retry_at ? h('span', {class: 'muted'}, ' · retry ', timeNode(refresh.retry_at)) : null)
          : h('span', {class: 'muted', testid: 'zabbix-last-refresh', text: 'never'})],
      ['Next refresh', timeNode(r.next_refresh ?? (sched && sched.next_run_at), {empty: '—'})],
      'last_host_check' in r ? ['Last host checked', timeNode(r.last_host_check, {empty: 'never'})] : null,
    ], 'zabbix-summary'));
    if (refresh && refresh.error) parts.push(h('pre', {class: 'error-text', text: refresh.error}));
  }
  const hostTable = (title, list, truncated, testid, empty, detail = 'Differences') => {
    if (!list) return;
    parts.push(h('h4', {text: title}));
    if (list.length === 0) {
      parts.push(h('p', {class: 'muted', testid: `${testid}-none`, text: empty}));
      return;
    }
    parts.push(h('div', {class: 'table-wrap'}, h('table', {class: 'data compact', testid},
      h('thead', null, h('tr', null, ['Host', detail, 'Checked'].map((c) => h('th', {scope: 'col', text: c})))),
      h('tbody', null, list.slice(0, 100).map((x) => zabbixHostRow(x))))));
    const more = list.length > 100 ? list.length - 100 : 0;
    if (more || truncated) {
      parts.push(h('p', {class: 'muted small', text: more ? `and ${more} more` : 'More hosts than shown: jobhost run-now zabbix.report lists them all.'}));
    }
  };
  hostTable('Out of sync', outList, r.out_of_sync && r.out_of_sync.truncated, 'zabbix-out-of-sync-list',
            'Every checked host matches Zabbix.');
  hostTable('Check failed', failedList, r.failed && r.failed.truncated, 'zabbix-failed-list', 'No check failed.', 'Error');
  const known = ['status', 'counts', 'in_sync', 'hosts_in_sync', 'out_of_sync', 'hosts_out_of_sync',
                 'failed', 'hosts_failed', 'unchecked', 'never_checked', 'total', 'out_of_sync_hosts',
                 'last_refresh', 'refresh_schedule', 'next_refresh', 'last_host_check'];
  if (typeof r.hosts === 'number' || Array.isArray(r.hosts)) known.push('hosts');
  return withRest(r, known, parts);
}

function zabbixHostRow(x) {
  if (!x || typeof x !== 'object') return h('tr', null, h('td', {text: String(x)}), h('td'), h('td'));
  const name = x.host ?? x.name ?? x.hostname ?? x.hostid ?? '—';
  const diffs = Array.isArray(x.differences) ? x.differences : Array.isArray(x.diff) ? x.diff : [];
  return h('tr', {testid: 'zabbix-host'},
           h('td', {class: 'mono', text: name}),
           h('td', null,
             x.error ? h('div', {class: 'error-inline', text: x.error}) : null,
             diffs.length ? h('ul', {class: 'plain-list'}, diffs.slice(0, 10).map((d) => h('li', null, differenceText(d)))) : null,
             diffs.length > 10 ? h('span', {class: 'muted small', text: `and ${diffs.length - 10} more`}) : null,
             !x.error && !diffs.length ? h('span', {class: 'muted', text: '—'}) : null),
           h('td', null, timeNode(x.last_sync_update ?? x.checked_at ?? x.last_check ?? null, {empty: '—'})));
}

function differenceText(d) {
  if (d === null || typeof d !== 'object') return String(d);
  const field = d.field ?? d.path ?? d.name;
  const want = d.expected ?? d.desired ?? d.want;
  const got = d.actual ?? d.found ?? d.got ?? d.zabbix;
  if (field !== undefined && (want !== undefined || got !== undefined)) {
    const show = (v) => (v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    return `${field}: expected ${show(want)}, found ${show(got)}`;
  }
  return JSON.stringify(d);
}

function hedgehogStatus(r, panel) {
  if (!Array.isArray(r.fabrics)) return null;
  const parts = [];
  if (r.summary && typeof r.summary === 'object') {
    parts.push(h('p', {class: 'badges', testid: 'hedgehog-summary'},
                 Object.entries(r.summary).map(([word, n]) => [badge(word, {label: `${n} ${String(word).replaceAll('_', ' ')}`}), ' '])));
  }
  if (r.fabrics.length === 0) {
    parts.push(h('p', {class: 'muted', text: 'No fabric is configured.'}));
  } else {
    parts.push(h('div', {class: 'table-wrap'}, h('table', {class: 'data compact', testid: 'hedgehog-fabrics'},
      h('thead', null, h('tr', null, ['Fabric', 'Status', 'Objects', 'Last sync', 'Next sync', 'Details'].map((c) => h('th', {scope: 'col', text: c})))),
      h('tbody', null, r.fabrics.map((f) => h('tr', {testid: 'hedgehog-fabric', dataset: {fabric: String(f.name ?? '')}},
        h('td', {class: 'mono', text: f.name ?? '—'}),
        h('td', null, badge(f.status ?? f.sync_status ?? 'unknown'),
          f.last_job && f.last_job.id ? h('span', null, ' ', panel.ctx.jobLink(f.last_job.id)) : null),
        h('td', {class: 'num', text: f.objects ?? '—'}),
        h('td', null, timeNode(f.last_sync, {empty: 'never'})),
        h('td', null, f.sync_enabled === false ? h('span', {class: 'muted', text: 'sync disabled'})
                                               : timeNode(f.next_sync, {empty: '—'}),
          f.schedule ? h('div', {class: 'muted small', text: f.schedule}) : null),
        h('td', null,
          f.error ? h('div', {class: 'error-inline', text: f.error}) : null,
          f.note ? h('div', {class: 'muted small', text: f.note}) : null,
          f.cluster_version ? h('div', {class: 'muted small', text: `Kubernetes ${f.cluster_version}`}) : null,
          countsNode(f.counts),
          Array.isArray(f.missing_kinds) && f.missing_kinds.length
              ? h('div', {class: 'small', text: `missing kinds: ${f.missing_kinds.join(', ')}`}) : null)))))));
  }
  return withRest(r, ['fabrics', 'summary'], parts);
}

function countsNode(counts) {
  if (!counts || typeof counts !== 'object') return null;
  const entries = Object.entries(counts);
  if (entries.length === 0) return null;
  return h('details', {class: 'counts'}, h('summary', {text: `${entries.length} kinds`}),
           h('ul', {class: 'chips'}, entries.map(([k, v]) => h('li', {class: 'chip'}, `${k} `, h('strong', {text: String(v)})))));
}

// ---- settings ----

const EDITABLE = new Set(['boolean', 'integer', 'number', 'string']);

function choicesOf(entry) {
  const c = entry.choices;
  if (Array.isArray(c) && c.length) return c.map(String);
  if (typeof c === 'string' && c) return c.split('|');
  return null;
}

function valueAt(settings, path) {
  if (!settings || typeof settings !== 'object') return undefined;
  if (path in settings) return settings[path];
  let node = settings;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

function sameJson(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export class SettingsForm {
  constructor(plugin, ctx) {
    this.plugin = plugin;
    this.ctx = ctx;
    this.fields = new Map();  // path -> {entry, input, error, original}
    this.busy = false;
    this.data = null;
    this.lastLoad = Date.now();
    this.body = h('div', {class: 'settings-body'}, h('p', {class: 'muted', text: 'Loading settings…'}));
    this.el = h('div', {class: 'plugin-settings', testid: 'settings-form', dataset: {plugin}},
                h('h3', {text: 'Settings'}), this.body);
  }

  get dirty() {
    for (const f of this.fields.values()) if (this.changed(f)) return true;
    return false;
  }

  async load({force = false} = {}) {
    if (!force && (this.busy || this.dirty || this.el.contains(document.activeElement))) return;
    try {
      const data = await api('GET', `/api/v1/plugins/${enc(this.plugin)}/settings`);
      if (!force && (this.dirty || this.el.contains(document.activeElement))) return;
      this.render(data);
    } catch (e) {
      if (!this.data) {
        this.body.replaceChildren(
          h('p', {class: e instanceof ApiError && e.status === 404 ? 'muted' : 'msg msg-error', testid: 'settings-load-error'},
            e instanceof ApiError && e.status === 404 ? 'This plugin has no settings the API can show.' : `Cannot read the settings: ${errorText(e)}`));
      }
    }
  }

  render(data, {keepMessage = null} = {}) {
    if (this.data && sameJson(this.data, data) && !keepMessage) return;
    this.data = data;
    this.fields.clear();
    const schema = Array.isArray(data && data.schema) ? data.schema : [];
    const settings = data && data.settings ? data.settings : {};
    const overrides = new Map((Array.isArray(data && data.overrides) ? data.overrides : []).map((o) => [o.path, o]));
    const editable = [];
    const readOnly = [];
    for (const entry of schema) {
      if (!entry || typeof entry.path !== 'string') continue;
      const isEditable = EDITABLE.has(entry.type) && !entry.secret && !entry.path.includes('[]');
      (isEditable ? editable : readOnly).push(entry);
    }
    const form = h('form', {class: 'settings', novalidate: true, on: {submit: (ev) => {
      ev.preventDefault();
      this.save();
    }}});
    if (editable.length === 0) form.appendChild(h('p', {class: 'muted', text: 'No setting can be changed here.'}));
    for (const entry of editable) form.appendChild(this.field(entry, valueAt(settings, entry.path), overrides.get(entry.path)));

    this.status = h('span', {class: 'msg', testid: 'settings-status', attrs: {'aria-live': 'polite'}, hidden: true});
    if (editable.length) {
      form.appendChild(h('div', {class: 'form-actions'},
        h('button', {type: 'submit', class: 'btn btn-primary', testid: 'settings-save'}, 'Save'),
        h('button', {type: 'button', class: 'btn', testid: 'settings-undo', on: {click: () => this.render(this.data, {keepMessage: ''})}}, 'Undo changes'),
        this.status));
    }
    const parts = [form];
    // Overrides of settings without an input here (secrets, lists) keep their reset link.
    const orphan = [...overrides.values()].filter((o) => !this.fields.has(o.path));
    if (orphan.length) {
      parts.push(h('div', {class: 'overrides-extra'}, h('h4', {text: 'Other settings changed via the API'}),
        h('ul', {class: 'plain-list'}, orphan.map((o) => h('li', {testid: 'setting-override', dataset: {path: o.path}},
          h('code', {text: o.path}), ` = ${JSON.stringify(o.value)} `, this.resetLink(o.path))))));
    }
    if (readOnly.length) {
      parts.push(h('details', {class: 'readonly-settings'}, h('summary', {text: `${readOnly.length} more (not editable here)`}),
        h('table', {class: 'kv-table'}, h('tbody', null, readOnly.map((e) => h('tr', null,
          h('th', {scope: 'row'}, h('code', {text: e.path})),
          h('td', null, e.secret ? h('span', {class: 'muted', text: valueAt(settings, e.path) ? '*** (secret)' : '— (secret)'})
                                 : valueNode(valueAt(settings, e.path) ?? null, 1),
            e.description ? h('div', {class: 'muted small', text: e.description}) : null)))))));
    }
    this.body.replaceChildren(...parts);
    if (keepMessage) setMessage(this.status, 'ok', keepMessage);
  }

  field(entry, value, override) {
    const id = `set-${this.plugin}-${entry.path}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const errorId = `${id}-error`;
    const hintId = `${id}-hint`;
    const choices = choicesOf(entry);
    let input;
    if (entry.type === 'boolean') {
      input = h('input', {type: 'checkbox', id, checked: value === true || value === 'true'});
    } else if (choices) {
      input = h('select', {id}, choices.map((c) => h('option', {value: c, text: c})));
      if (value !== undefined && value !== null && !choices.includes(String(value))) {
        input.appendChild(h('option', {value: String(value), text: String(value)}));
      }
      input.value = value === undefined || value === null ? '' : String(value);
    } else if (entry.type === 'integer' || entry.type === 'number') {
      input = h('input', {type: 'number', id, inputMode: entry.type === 'integer' ? 'numeric' : 'decimal',
                          step: entry.type === 'integer' ? '1' : 'any',
                          value: value === undefined || value === null ? '' : String(value)});
      if (entry.min !== undefined && entry.min !== null) input.min = String(entry.min);
      if (entry.max !== undefined && entry.max !== null) input.max = String(entry.max);
    } else {
      input = h('input', {type: 'text', id, attrs: {spellcheck: 'false'}, value: value === undefined || value === null ? '' : String(value)});
    }
    input.setAttribute('data-testid', 'setting-input');
    input.setAttribute('aria-describedby', `${hintId} ${errorId}`);
    const error = h('span', {class: 'msg', id: errorId, testid: 'setting-error', attrs: {'aria-live': 'polite'}, hidden: true});
    const hints = [];
    if (entry.description) hints.push(entry.description);
    const limits = [];
    if (entry.min !== undefined && entry.min !== null) limits.push(`min ${entry.min}`);
    if (entry.max !== undefined && entry.max !== null) limits.push(`max ${entry.max}`);
    if (entry.default !== undefined && entry.default !== null && entry.default !== '') limits.push(`default ${entry.default}`);
    if (entry.required) limits.push('required');
    const hint = h('span', {class: 'hint', id: hintId, text: [hints.join(' '), limits.join(', ')].filter(Boolean).join(' · ')});
    const overrideNode = override
        ? h('span', {class: 'override', testid: 'setting-override'},
            'Changed via the API', override.updated_at ? [' ', timeNode(override.updated_at, {withRelative: true})] : null,
            ' · ', this.resetLink(entry.path))
        : null;
    const label = h('label', {htmlFor: id}, h('code', {text: entry.path}));
    const row = entry.type === 'boolean'
        ? h('div', {class: 'field field-bool', testid: 'setting-field', dataset: {path: entry.path}},
            h('div', {class: 'field-control'}, input, label), hint, overrideNode, error)
        : h('div', {class: 'field', testid: 'setting-field', dataset: {path: entry.path}},
            label, h('div', {class: 'field-control'}, input), hint, overrideNode, error);
    if (override) row.classList.add('overridden');
    const f = {entry, input, error, row, original: value};
    input.addEventListener('input', () => {
      row.classList.toggle('changed', this.changed(f));
      setMessage(error, '', '');
      input.removeAttribute('aria-invalid');
    });
    input.addEventListener('change', () => row.classList.toggle('changed', this.changed(f)));
    this.fields.set(entry.path, f);
    return row;
  }

  resetLink(path) {
    return h('a', {href: '#', class: 'reset-link', testid: 'setting-reset', dataset: {path},
                   attrs: {'aria-label': `Reset ${path} to the configuration file's value`},
                   on: {click: (ev) => {
                     ev.preventDefault();
                     this.reset(path);
                   }}}, 'reset to YAML');
  }

  // The input's value as JSON, or {invalid: message}.
  current(f) {
    const {entry, input} = f;
    if (entry.type === 'boolean') return {value: input.checked};
    const raw = input.value.trim();
    if (entry.type === 'integer' || entry.type === 'number') {
      if (raw === '') return f.original === undefined || f.original === null ? {value: f.original} : {invalid: 'enter a number'};
      const n = Number(raw);
      if (Number.isNaN(n)) return {invalid: 'not a number'};
      return {value: n};
    }
    if (raw === '' && (f.original === undefined || f.original === null)) return {value: f.original};
    return {value: input.value};
  }

  changed(f) {
    const c = this.current(f);
    if (c.invalid) return true;
    if (f.entry.type === 'boolean') return c.value !== (f.original === true || f.original === 'true');
    if (f.entry.type === 'integer' || f.entry.type === 'number') return c.value !== (f.original === null || f.original === undefined ? f.original : Number(f.original));
    return (c.value ?? '') !== (f.original === null || f.original === undefined ? '' : String(f.original));
  }

  clearErrors() {
    for (const f of this.fields.values()) {
      setMessage(f.error, '', '');
      f.input.removeAttribute('aria-invalid');
      f.row.classList.remove('invalid');
    }
  }

  showFieldError(f, text) {
    setMessage(f.error, 'error', text);
    f.input.setAttribute('aria-invalid', 'true');
    f.row.classList.add('invalid');
  }

  async save() {
    if (this.busy) return;
    this.clearErrors();
    const body = {};
    const changedFields = [];
    let invalid = false;
    for (const [path, f] of this.fields) {
      if (!this.changed(f)) continue;
      const c = this.current(f);
      if (c.invalid) {
        this.showFieldError(f, c.invalid);
        invalid = true;
        continue;
      }
      body[path] = c.value;
      changedFields.push(f);
    }
    if (invalid) {
      setMessage(this.status, 'error', 'Not saved: correct the marked fields.');
      return;
    }
    if (changedFields.length === 0) {
      setMessage(this.status, 'info', 'Nothing changed.');
      return;
    }
    this.busy = true;
    const button = this.el.querySelector('[data-testid="settings-save"]');
    if (button) button.disabled = true;
    setMessage(this.status, 'info', 'Saving…');
    try {
      const data = await api('PATCH', `/api/v1/plugins/${enc(this.plugin)}/settings`, body);
      const names = Object.keys(body).join(', ');
      this.data = null;
      if (data && data.schema) this.render(data, {keepMessage: `Saved ${names}.`});
      else {
        await this.load({force: true});
        setMessage(this.status, 'ok', `Saved ${names}.`);
      }
      this.ctx.changed();
    } catch (e) {
      this.showSaveError(e, changedFields);
    } finally {
      this.busy = false;
      if (button && button.isConnected) button.disabled = false;
    }
  }

  showSaveError(e, changedFields) {
    if (e instanceof ApiError && e.isAuth) {
      this.ctx.authNeeded();
      setMessage(this.status, 'error', errorText(e));
      return;
    }
    const unplaced = [];
    const problems = e instanceof ApiError ? e.problems : [];
    for (const p of problems) {
      const path = String(p && p.path ? p.path : '');
      let target = null;
      for (const [fp, f] of this.fields) {
        if (path === fp || path.endsWith(`.${fp}`) || path.endsWith(`:${fp}`)) {
          if (!target || fp.length > target.entry.path.length) target = f;
        }
      }
      const text = p && p.message ? p.message : String(p);
      if (target) this.showFieldError(target, text);
      else unplaced.push(path ? `${path}: ${text}` : text);
    }
    if (problems.length === 0 && changedFields.length === 1) {
      this.showFieldError(changedFields[0], errorText(e));
      setMessage(this.status, 'error', 'Not saved.');
      return;
    }
    const summary = unplaced.length ? unplaced.join('; ') : errorText(e);
    setMessage(this.status, 'error', `Not saved: ${summary}`);
  }

  async reset(path) {
    if (this.busy) return;
    this.busy = true;
    setMessage(this.status || h('span'), 'info', `Resetting ${path}…`);
    try {
      const data = await api('DELETE', `/api/v1/plugins/${enc(this.plugin)}/settings/${path.split('/').map(enc).join('/')}`);
      this.data = null;
      if (data && data.schema) this.render(data, {keepMessage: `${path} is back to the configuration file's value.`});
      else await this.load({force: true});
      this.ctx.changed();
    } catch (e) {
      if (e instanceof ApiError && e.isAuth) this.ctx.authNeeded();
      const f = this.fields.get(path);
      if (f) this.showFieldError(f, errorText(e));
      if (this.status) setMessage(this.status, 'error', `Not reset: ${errorText(e)}`);
    } finally {
      this.busy = false;
    }
  }
}
