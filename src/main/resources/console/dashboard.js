// The dashboard: decisions over time by outcome and by harm category, the pipeline's queue, and
// reindex runs with live progress (admin).
import {api, query} from './api.js';
import {$, el, fill, show} from './dom.js';
import {stackedBars} from './chart.js';
import {HARM_CATEGORIES, HARM_COLORS} from './harm.js';
import {ago, bucketLabel, count, dateTime, duration, milliseconds} from './format.js';

const RANGES = {
  '24h': {bucket: 'hour', hours: 23},
  '7d': {bucket: 'hour', hours: 7 * 24 - 1},
  '30d': {bucket: 'day', hours: 29 * 24},
};
const OUTCOMES = [
  {key: 'published', label: 'published', color: '#16a34a'},
  {key: 'flagged', label: 'flagged', color: '#f59e0b'},
  {key: 'rejected', label: 'rejected', color: '#dc2626'},
];
const TIMELINE_EVERY_MS = 30000;
const LIVE_EVERY_MS = 2000;
const IDLE_EVERY_MS = 10000;

export class DashboardView {
  constructor(ctx) {
    this.ctx = ctx;
    this.timers = [];
    this.timeline = null;
    this.runs = [];
    $('#dash-range').addEventListener('change', () => this.loadTimeline());
    $('#dash-refresh').addEventListener('click', () => this.refresh());
    $('#reindex-form').addEventListener('submit', (e) => this.startReindex(e));
    window.addEventListener('resize', () => this.timeline && this.drawTimeline());
  }

  init() {
    const admin = this.ctx.isAdmin();
    show($('#dash-admin'), admin);
    show($('#dash-admin-note'), !admin);
  }

  show() {
    this.visible = true;
    this.refresh();
    this.timers.push(setInterval(() => this.loadTimeline(), TIMELINE_EVERY_MS));
    if (this.ctx.isAdmin()) this.scheduleLive();
  }

  hide() {
    this.visible = false;
    this.timers.forEach(clearInterval);
    this.timers = [];
    clearTimeout(this.liveTimer);
  }

  /** Decisions and resolutions from the live stream: redraw the timeline (once per burst). */
  onEvent(event) {
    if (!this.visible || !['decision.made', 'queue.resolved'].includes(event.type)) return;
    clearTimeout(this.eventTimer);
    this.eventTimer = setTimeout(() => this.loadTimeline(), 1000);
  }

  refresh() {
    this.loadTimeline();
    if (this.ctx.isAdmin()) this.loadLive();
  }

  /** Pipeline and reindex: every 2 s while a run is going, every 10 s otherwise. */
  scheduleLive() {
    clearTimeout(this.liveTimer);
    const running = this.runs.some((r) => r.state === 'running');
    this.liveTimer = setTimeout(async () => {
      if (!this.visible) return;
      await this.loadLive();
      this.scheduleLive();
    }, running ? LIVE_EVERY_MS : IDLE_EVERY_MS);
  }

  async loadTimeline() {
    const range = RANGES[$('#dash-range').value];
    const since = new Date(Date.now() - range.hours * 3600 * 1000).toISOString();
    try {
      this.timeline = await api.get('/api/moderation/stats/timeline' + query({since, bucket: range.bucket}));
      this.drawTimeline();
      fill($('#dash-updated'), `Updated ${new Date().toLocaleTimeString('en-GB')}`);
    } catch (e) {
      this.ctx.toast(`Could not load the decisions: ${e.message}`, 'error');
    }
  }

  drawTimeline() {
    const {buckets, bucket} = this.timeline;
    const labels = buckets.map((b) => bucketLabel(b.start, bucket));
    const total = (pick) => buckets.reduce((s, b) => s + (pick(b) || 0), 0);
    const decided = total((b) => b.decisions.published + b.decisions.flagged + b.decisions.rejected);
    fill($('#dash-tiles'),
      tile('Decisions', decided, 'automated, in this period'),
      tile('Published', total((b) => b.decisions.published), share(total((b) => b.decisions.published), decided), 'ok'),
      tile('Flagged for review', total((b) => b.decisions.flagged), share(total((b) => b.decisions.flagged), decided), 'flag'),
      tile('Rejected', total((b) => b.decisions.rejected), share(total((b) => b.decisions.rejected), decided), 'reject'),
      tile('Moderator decisions', total((b) => b.human.approve + b.human.reject),
        `${count(total((b) => b.human.approve))} approved · ${count(total((b) => b.human.reject))} rejected`));
    stackedBars($('#chart-outcomes'), labels,
      OUTCOMES.map((o) => ({...o, values: buckets.map((b) => b.decisions[o.key] || 0)})));
    stackedBars($('#chart-categories'), labels,
      HARM_CATEGORIES.map((h) => ({key: h, label: h, color: HARM_COLORS[h],
        values: buckets.map((b) => b.categories[h] || 0)})),
      {empty: 'No post crossed a threshold in this period.'});
  }

  async loadLive() {
    await Promise.all([this.loadPipeline(), this.loadRuns()]);
  }

  async loadPipeline() {
    try {
      const status = await api.get('/api/admin/pipeline');
      const kinds = Object.entries(status.jobs);
      fill($('#pipeline'),
        el('table', {class: 'table', id: 'pipeline-table'},
          el('thead', null, el('tr', null, ['Job kind', 'Queued', 'Running', 'Retrying', 'Dead']
            .map((h, i) => el('th', {class: i ? 'num' : null}, h)))),
          el('tbody', null, kinds.length ? kinds.map(([kind, c]) => el('tr', {dataset: {kind}},
            el('td', null, kind),
            el('td', {class: 'num'}, count(c.queued)),
            el('td', {class: 'num'}, count(c.running)),
            el('td', {class: ['num', c.retrying && 'warn']}, count(c.retrying)),
            el('td', {class: ['num', c.dead && 'bad']}, count(c.dead))))
            : el('tr', null, el('td', {colspan: 5, class: 'muted'}, 'No unfinished jobs.')))),
        el('p', {class: 'muted small'}, 'Oldest queued job waiting: ', milliseconds(status.oldestQueuedAgeMs)));
    } catch (e) {
      fill($('#pipeline'), el('p', {class: 'form-error'}, e.message));
    }
  }

  async loadRuns() {
    try {
      const page = await api.get('/api/admin/reindex' + query({limit: 6}));
      this.runs = page.items;
      this.drawRuns();
    } catch (e) {
      fill($('#reindex-runs'), el('p', {class: 'form-error'}, e.message));
    }
  }

  drawRuns() {
    const running = this.runs.filter((r) => r.state === 'running');
    fill($('#reindex-current'), running.length
      ? running.map((run) => this.progress(run))
      : el('p', {class: 'muted', id: 'reindex-idle'}, 'No reindex is running.'));
    fill($('#reindex-runs'), this.runs.length ? el('table', {class: 'table small', id: 'reindex-table'},
      el('thead', null, el('tr', null, ['Run', 'Model', 'Scope', 'State', 'Done', 'Failed', 'Started']
        .map((h, i) => el('th', {class: i >= 4 && i <= 5 ? 'num' : null}, h)))),
      el('tbody', null, this.runs.map((r) => el('tr', {dataset: {run: r.id}},
        el('td', null, `#${r.id}`),
        el('td', null, r.model),
        el('td', null, r.scope),
        el('td', null, el('span', {class: `state state-${r.state}`}, r.state)),
        el('td', {class: 'num'}, `${count(r.done)}/${count(r.total)}`),
        el('td', {class: ['num', r.failed && 'bad']}, count(r.failed)),
        el('td', {title: dateTime(r.startedAt)}, ago(r.startedAt))))))
      : null);
  }

  progress(run) {
    const finished = run.done + run.failed;
    const fraction = run.total ? Math.min(1, finished / run.total) : 1;
    return el('div', {class: 'run', id: `run-${run.id}`, dataset: {run: run.id}},
      el('div', {class: 'run-head'},
        el('strong', null, `Run #${run.id}`), ` · ${run.model} · ${run.scope}`,
        el('button', {type: 'button', class: 'btn btn-reject btn-small', dataset: {cancel: run.id},
          onclick: () => this.cancel(run)}, 'Cancel')),
      el('div', {class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': run.total,
        'aria-valuenow': finished},
      el('div', {class: 'progress-fill', style: {width: `${fraction * 100}%`}})),
      el('div', {class: 'run-stats'},
        el('span', {class: 'run-count'}, `${count(finished)} of ${count(run.total)} posts (${Math.round(fraction * 100)}%)`),
        el('span', null, `${run.perSecond.toFixed(1)} posts/s`),
        el('span', null, `ETA ${duration(run.etaSeconds)}`),
        run.failed ? el('span', {class: 'bad'}, `${count(run.failed)} failed`) : null));
  }

  async startReindex(event) {
    event.preventDefault();
    const rate = $('#reindex-rate').value;
    const body = {scope: $('#reindex-scope').value, model: $('#reindex-model').value.trim() || null,
      maxPerSecond: rate ? Number(rate) : null};
    try {
      const run = await api.post('/api/admin/reindex', body);
      this.ctx.toast(`Reindex run #${run.id} started: ${run.total} posts`, 'ok');
    } catch (e) {
      this.ctx.toast(e.describe ? e.describe() : e.message, 'error');
    }
    await this.loadRuns();
    this.scheduleLive();
  }

  async cancel(run) {
    try {
      await api.del(`/api/admin/reindex/${run.id}`);
      this.ctx.toast(`Reindex run #${run.id} cancelled`);
    } catch (e) {
      this.ctx.toast(e.message, 'error');
    }
    await this.loadRuns();
  }
}

function tile(label, value, note, kind) {
  return el('div', {class: ['tile', kind && `tile-${kind}`], dataset: {tile: label}},
    el('div', {class: 'tile-label'}, label),
    el('div', {class: 'tile-value'}, count(value)),
    el('div', {class: 'tile-note'}, note));
}

function share(part, whole) {
  return whole ? `${Math.round((part / whole) * 100)}% of decisions` : '—';
}
