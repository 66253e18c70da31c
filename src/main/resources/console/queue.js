// The review queue: tabs by state, filters, a list with multi-select, the focused item's detail with
// one score bar per harm category, and keyboard shortcuts for the common moves.
import {api, query} from './api.js';
import {$, el, fill, show} from './dom.js';
import {HARM_CATEGORIES, effective, level} from './harm.js';
import {ago, dateTime, score} from './format.js';
import {RESOLVED, actionsOf, appealChip, appealSection, isAppeal} from './appeal.js';

const PAGE = 25;

export class QueueView {
  constructor(ctx) {
    this.ctx = ctx;
    this.state = 'open';
    this.items = [];
    this.nextCursor = null;
    this.focus = -1;
    this.selected = new Set();
    this.visible = false;
    this.busy = false;
    this.bind();
  }

  bind() {
    $('#queue-tabs').addEventListener('click', (e) => {
      const tab = e.target.closest('[data-state]');
      if (!tab) return;
      this.state = tab.dataset.state;
      for (const b of $('#queue-tabs').children) b.setAttribute('aria-selected', String(b === tab));
      this.reload();
    });
    $('#filter-category').addEventListener('change', () => this.reload());
    $('#filter-reason').addEventListener('change', () => this.reload());
    $('#filter-kind').addEventListener('change', () => this.reload());
    $('#queue-refresh').addEventListener('click', () => this.reload());
    $('#queue-more').addEventListener('click', () => this.loadMore());
    $('#select-all').addEventListener('change', (e) => {
      this.selected = e.target.checked ? new Set(this.actionable().map((i) => i.id)) : new Set();
      this.renderList();
    });
    $('#bulk-approve').addEventListener('click', () => this.bulk('approve'));
    $('#bulk-reject').addEventListener('click', () => this.bulk('reject'));
    $('#bulk-clear').addEventListener('click', () => {
      this.selected.clear();
      this.renderList();
    });
    document.addEventListener('keydown', (e) => this.key(e));
  }

  /** A new sign-in: the filters get the forum categories and the reasons anew. */
  init() {
    const categories = $('#filter-category');
    fill(categories, el('option', {value: ''}, 'All categories'),
      this.ctx.categories.map((c) => el('option', {value: c.slug}, c.name)));
    fill($('#filter-reason'),
      el('option', {value: ''}, 'Any reason'),
      el('option', {value: 'report'}, 'User reports'),
      el('option', {value: 'provider unavailable'}, 'Provider unavailable'),
      el('option', {value: 'trust'}, 'New-account rules'),
      el('optgroup', {label: 'Harm category'}, HARM_CATEGORIES.map((h) => el('option', {value: h}, h))));
    this.items = [];
    this.selected.clear();
  }

  show() {
    this.visible = true;
    this.reload();
  }

  hide() {
    this.visible = false;
  }

  /** A queue event (or a decision that opened an item) from the live stream: refresh, keeping the focus. */
  onEvent(event) {
    if (!this.visible || !(event.type.startsWith('queue.') || event.type === 'appeal.filed')) return;
    clearTimeout(this.liveTimer);
    // Events come in bursts (a bulk resolve); one reload answers the burst.
    this.liveTimer = setTimeout(() => this.refreshLive(), 250);
  }

  async refreshLive() {
    if (this.busy) {
      this.onEvent({type: 'queue.retry'});
      return;
    }
    const focused = this.items[this.focus]?.id;
    const selected = new Set(this.selected);
    await this.reload();
    const at = this.items.findIndex((i) => i.id === focused);
    if (at >= 0) this.setFocus(at);
    this.selected = new Set(this.items.map((i) => i.id).filter((id) => selected.has(id)));
    this.renderList();
  }

  async reload() {
    // A later reload (another tab or filter) wins over answers still on their way for an earlier one.
    const generation = this.generation = (this.generation || 0) + 1;
    this.items = [];
    this.nextCursor = null;
    this.focus = -1;
    this.selected.clear();
    $('#select-all').checked = false;
    await this.loadMore();
    if (generation !== this.generation) return;
    if (this.items.length) this.setFocus(0);
    else this.renderDetail();
  }

  async loadMore() {
    const generation = this.generation;
    const path = '/api/moderation/queue' + query({
      state: this.state,
      category: $('#filter-category').value,
      reason: $('#filter-reason').value,
      kind: $('#filter-kind').value,
      limit: PAGE,
      cursor: this.nextCursor,
    });
    $('#queue-items').dataset.loading = 'true';
    try {
      const page = await api.get(path);
      if (generation !== this.generation) return;
      this.items.push(...page.items);
      this.nextCursor = page.nextCursor;
    } catch (e) {
      this.ctx.toast(`Could not load the queue: ${e.message}`, 'error');
    }
    $('#queue-items').dataset.loading = 'false';
    this.renderList();
  }

  /** Items the bulk actions apply to: appeals are decided one by one. */
  actionable() {
    return this.items.filter((i) => i.state !== 'resolved' && !isAppeal(i));
  }

  renderList() {
    const list = $('#queue-items');
    fill(list, this.items.map((item, index) => this.row(item, index)));
    show($('#queue-empty'), this.items.length === 0);
    show($('#queue-more'), Boolean(this.nextCursor));
    fill($('#queue-summary'), this.items.length
      ? `${this.items.length}${this.nextCursor ? '+' : ''} ${this.state}` : '');
    $('#select-all').disabled = this.state === 'resolved' || this.items.length === 0;
    const count = this.selected.size;
    show($('#bulk-bar'), count > 0);
    fill($('#bulk-count'), `${count} selected`);
  }

  row(item, index) {
    const post = item.post;
    const selectable = item.state !== 'resolved' && !isAppeal(item);
    return el('li', {
      class: ['queue-item', index === this.focus && 'focused', this.selected.has(item.id) && 'selected'],
      dataset: {id: item.id, postId: post.id, kind: item.kind || 'review'},
      onclick: (e) => {
        if (e.target.matches('input[type=checkbox]')) return;
        this.setFocus(index);
      },
    },
    el('input', {
      type: 'checkbox', class: 'item-select', 'aria-label': `Select item ${item.id}`,
      checked: this.selected.has(item.id), disabled: !selectable,
      onchange: (e) => this.toggle(item.id, e.target.checked),
    }),
    el('div', {class: 'item-main'},
      el('div', {class: 'item-title'}, item.thread.title),
      el('div', {class: 'item-meta'},
        el('span', {class: 'cat'}, item.thread.category), ' · ', post.author.username, trustBadge(item.author), ' · ',
        el('span', {title: dateTime(item.createdAt)}, ago(item.createdAt)),
        item.claimedBy && item.state === 'claimed' ? el('span', {class: 'claim'}, ` · claimed by ${item.claimedBy}`) : null,
        item.resolution ? el('span', {class: `res res-${item.resolution.action}`}, ` · ${item.resolution.action}`) : null),
      el('div', {class: 'item-snippet'},
        item.subject === 'title' ? el('span', {class: 'subject-tag'}, 'Title edit: ') : null, snippet(post.body)),
      el('div', {class: 'chips'}, isAppeal(item) ? appealChip() : null, item.reasons.map(reasonChip))));
  }

  toggle(id, on) {
    if (on) this.selected.add(id);
    else this.selected.delete(id);
    this.renderList();
  }

  setFocus(index) {
    if (index < 0 || index >= this.items.length) return;
    this.focus = index;
    this.renderList();
    this.renderDetail();
    const node = $(`#queue-items .queue-item[data-id="${this.items[index].id}"]`);
    node?.scrollIntoView({block: 'nearest'});
  }

  focused() {
    return this.items[this.focus];
  }

  renderDetail() {
    const detail = $('#queue-detail');
    const item = this.focused();
    if (!item) {
      fill(detail, el('p', {class: 'empty'}, 'Select an item to review it.'));
      return;
    }
    const post = item.post;
    const moderation = item.moderation || post.moderation;
    const me = this.ctx.me.username;
    const claimedByOther = item.state === 'claimed' && item.claimedBy !== me;
    const canAct = item.state !== 'resolved' && !claimedByOther;
    fill(detail,
      el('article', {class: 'detail', dataset: {id: item.id, postId: post.id}},
        el('header', {class: 'detail-head'},
          el('h2', {class: 'detail-title'}, item.thread.title),
          el('div', {class: 'detail-meta'},
            el('span', {class: 'cat'}, item.thread.category), ' · thread #', String(item.thread.id),
            ' · post #', String(post.id), ' by ', el('strong', {class: 'author'}, post.author.username), trustBadge(item.author), ' · ',
            el('span', {title: dateTime(post.createdAt)}, ago(post.createdAt)),
            el('span', {class: `status status-${post.status}`}, post.status))),
        // A title edit: the body shows the proposed title; the thread keeps its title until approval.
        item.subject === 'title' ? el('p', {class: 'subject-note', id: 'detail-subject'},
          `Title edit #${item.titleEdit.version}: the thread keeps the title above until this one is approved.`) : null,
        el('div', {class: 'post-body', id: 'detail-body'}, post.body),
        isAppeal(item) && item.appeal ? appealSection(item.appeal, me) : null,
        el('h3', null, 'Why it is here'),
        el('ul', {class: 'reasons'}, item.reasons.map(reasonLine)),
        el('h3', null, 'Scores',
          moderation?.provider ? el('span', {class: 'muted small'},
            ` · ${moderation.provider}${moderation.model ? ` (${moderation.model})` : ''}`) : null),
        scoreBars(item.appeal?.original?.scores || moderation?.scores, this.ctx.policy, item.thread.category),
        item.resolution ? resolutionBox(item.resolution) : null,
        item.state === 'resolved' ? null : el('div', {class: 'decide'},
          el('label', {class: 'note-label'}, 'Note',
            el('textarea', {id: 'decision-note', rows: 2, maxlength: 2000,
              placeholder: 'Why (optional, kept in the audit log)', disabled: !canAct})),
          el('div', {class: 'actions'},
            this.claimButton(item),
            actionsOf(item).map((a) => el('button', {type: 'button', class: `btn ${a.css}`, id: a.action,
              disabled: !canAct, onclick: () => this.resolve(a.action)}, a.label, el('kbd', null, a.key)))))));
  }

  claimButton(item) {
    const me = this.ctx.me.username;
    if (item.state === 'open') {
      return el('button', {type: 'button', class: 'btn', id: 'claim', onclick: () => this.claim(true)},
        'Claim', el('kbd', null, 'c'));
    }
    if (item.claimedBy === me || this.ctx.isAdmin()) {
      return el('button', {type: 'button', class: 'btn', id: 'release', onclick: () => this.claim(false)},
        item.claimedBy === me ? 'Release' : `Release ${item.claimedBy}'s claim`);
    }
    return el('span', {class: 'muted'}, `Claimed by ${item.claimedBy}`);
  }

  async claim(on) {
    const item = this.focused();
    if (!item || this.busy) return;
    this.busy = true;
    try {
      const updated = on ? await api.post(`/api/moderation/queue/${item.id}/claim`)
        : await api.del(`/api/moderation/queue/${item.id}/claim`);
      this.items[this.focus] = updated;
      this.renderList();
      this.renderDetail();
      this.ctx.toast(on ? `Claimed item #${item.id}` : `Released item #${item.id}`);
    } catch (e) {
      this.ctx.toast(e.message, 'error');
    } finally {
      this.busy = false;
    }
  }

  async resolve(action) {
    const item = this.focused();
    if (!item || item.state === 'resolved' || this.busy) return;
    const allowed = actionsOf(item).find((a) => a.action === action);
    if (!allowed) return;
    const note = $('#decision-note')?.value.trim() || null;
    this.busy = true;
    try {
      await api.post(`/api/moderation/queue/${item.id}/resolve`, {action, note});
      const what = item.subject === 'title' ? `title edit of thread #${item.thread.id}` : `post #${item.post.id}`;
      this.ctx.toast(`${allowed.done} ${what}`,
        action === 'approve' || action === 'overturn' ? 'ok' : 'info');
      this.remove([item.id]);
    } catch (e) {
      this.ctx.toast(e.message, 'error');
    } finally {
      this.busy = false;
    }
  }

  async bulk(action) {
    const ids = [...this.selected];
    if (!ids.length || this.busy) return;
    const note = $('#bulk-note').value.trim() || null;
    this.busy = true;
    try {
      const {results} = await api.post('/api/moderation/queue/resolve', {ids, action, note});
      const done = results.filter((r) => r.status === 200).map((r) => r.id);
      const failed = results.filter((r) => r.status !== 200);
      const verb = action === 'approve' ? 'approved' : 'rejected';
      this.ctx.toast(failed.length
        ? `${done.length} ${verb}; ${failed.length} failed: ${failed.map((f) => `#${f.id} ${f.problem?.detail || f.status}`).join('; ')}`
        : `${done.length} ${verb}`, failed.length ? 'error' : 'ok');
      $('#bulk-note').value = '';
      this.remove(done);
    } catch (e) {
      this.ctx.toast(e.describe ? e.describe() : e.message, 'error');
    } finally {
      this.busy = false;
    }
  }

  /** Drops resolved items from the list; the focus stays at the same place, i.e. on the next item. */
  remove(ids) {
    const gone = new Set(ids);
    const focusedId = this.focused()?.id;
    this.items = this.items.filter((i) => !gone.has(i.id));
    ids.forEach((id) => this.selected.delete(id));
    let index = this.items.findIndex((i) => i.id === focusedId);
    if (index < 0) index = Math.min(this.focus, this.items.length - 1);
    this.focus = index;
    this.renderList();
    this.renderDetail();
    if (this.items.length === 0 && this.nextCursor) this.reload();
  }

  key(e) {
    if (!this.visible || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest('input, textarea, select, [contenteditable]')) return;
    const actions = {
      j: () => this.setFocus(this.focus + 1),
      k: () => this.setFocus(this.focus - 1),
      a: () => this.resolve('approve'),
      r: () => this.resolve('reject'),
      o: () => this.resolve('overturn'),
      u: () => this.resolve('uphold'),
      c: () => this.focused()?.state === 'open' && this.claim(true),
      x: () => this.focused() && this.focused().state !== 'resolved'
        && this.toggle(this.focused().id, !this.selected.has(this.focused().id)),
    };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  }
}

function snippet(text) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 140)}…` : flat;
}

const TRUST_NAMES = ['new', 'basic', 'member', 'trusted'];

/** The author's trust level beside their name ("TL0"), with its name and lock in the tooltip. */
function trustBadge(author) {
  if (!author) return null;
  const name = TRUST_NAMES[author.trustLevel] || '';
  const title = `Trust level ${author.trustLevel} (${name})${author.trustLevelLocked ? ', set by a moderator' : ''}`;
  return el('span', {class: `trust trust-${author.trustLevel}`, title}, ` TL${author.trustLevel}`);
}

function reasonChip(reason) {
  if (reason.source === 'report') {
    return el('span', {class: 'chip chip-report', title: reason.detail || ''}, 'report');
  }
  const text = reason.score !== null && reason.score !== undefined
    ? `${reason.category} ${score(reason.score)}` : reason.category;
  return el('span', {class: 'chip', title: `${reason.source}`}, text);
}

function reasonLine(reason) {
  if (reason.source === 'trust') {
    return el('li', {class: 'reason reason-trust'}, el('strong', null, reason.category), ': ', reason.detail || '');
  }
  if (reason.source === 'report') {
    return el('li', {class: 'reason reason-report'}, el('strong', null, 'User report'), ': ',
      el('q', null, reason.detail || ''));
  }
  if (reason.score === null || reason.score === undefined) {
    return el('li', {class: 'reason'}, el('strong', null, reason.category), ` (${reason.source})`);
  }
  return el('li', {class: 'reason'}, el('strong', null, reason.category), ' scored ', score(reason.score),
    ' ≥ threshold ', score(reason.threshold), el('span', {class: 'muted'}, ` (${reason.source})`));
}

/** One bar per harm category: the score, and marks at the flag and reject thresholds in force for this forum category. */
function scoreBars(scores, policy, forumCategory) {
  if (!scores) return el('p', {class: 'muted'}, 'No scores recorded for this post.');
  return el('div', {class: 'score-bars', id: 'score-bars'},
    HARM_CATEGORIES.map((category) => {
      const value = scores[category];
      const thresholds = effective(policy, forumCategory, category);
      const state = level(value, thresholds);
      const tip = `${category}: ${score(value)} · flag at ${score(thresholds.flag)} · reject at ${score(thresholds.reject)}`;
      return el('div', {class: ['bar-row', `bar-${state}`], dataset: {category}, title: tip},
        el('span', {class: 'bar-label'}, category),
        el('div', {class: 'bar-track'},
          el('div', {class: 'bar-fill', style: {width: `${Math.max(0, Math.min(1, value ?? 0)) * 100}%`}}),
          mark('flag', thresholds.flag),
          mark('reject', thresholds.reject)),
        el('span', {class: 'bar-value'}, score(value)));
    }),
    el('div', {class: 'bar-legend muted small'},
      el('span', {class: 'legend-mark flag'}), 'flag threshold ',
      el('span', {class: 'legend-mark reject'}), 'reject threshold'));
}

function mark(kind, threshold) {
  if (threshold === null || threshold === undefined) return null;
  return el('span', {class: `bar-mark ${kind}`, style: {left: `${threshold * 100}%`},
    dataset: {threshold}});
}

function resolutionBox(resolution) {
  return el('div', {class: `resolution res-${resolution.action}`},
    el('strong', null, RESOLVED[resolution.action] || resolution.action),
    resolution.by ? ` by ${resolution.by}` : '', resolution.at ? ` · ${dateTime(resolution.at)}` : '',
    resolution.note ? el('p', {class: 'resolution-note'}, resolution.note) : null);
}
