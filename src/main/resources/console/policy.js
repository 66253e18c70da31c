// The policy editor: flag and reject thresholds per harm category, globally and per forum category,
// with a preview of what a draft would have done to recent posts. Admins edit; moderators read.
import {api} from './api.js';
import {$, el, fill, show} from './dom.js';
import {HARM_CATEGORIES} from './harm.js';
import {count} from './format.js';
import {CalibrationTable} from './calibration.js';

export class PolicyView {
  constructor(ctx) {
    this.ctx = ctx;
    this.draft = null;
    this.preview = null;
    $('#policy-scope').addEventListener('change', () => this.render());
    $('#policy-failure').addEventListener('change', (e) => {
      this.draft.onProviderFailure = e.target.value;
      this.changed();
    });
    $('#policy-save').addEventListener('click', () => this.save());
    $('#policy-reset').addEventListener('click', () => this.reset());
    $('#preview-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.runPreview();
    });
    this.calibration = new CalibrationTable(ctx, (forum, harm, flag) => this.trySuggestion(forum, harm, flag));
  }

  init() {
    fill($('#policy-scope'), el('option', {value: ''}, 'All forum categories (global)'),
      el('optgroup', {label: 'Override for one forum category'},
        this.ctx.categories.map((c) => el('option', {value: c.slug}, c.name))));
    this.draft = null;
  }

  async show() {
    try {
      await this.ctx.reloadPolicy();
    } catch (e) {
      this.ctx.toast(e.message, 'error');
    }
    if (!this.draft || !this.dirty()) this.reset();
    else this.render();
    this.calibration.load();
  }

  hide() {
  }

  reset() {
    this.draft = normalise(this.ctx.policy);
    this.preview = null;
    fill($('#preview-result'));
    this.render();
  }

  editable() {
    return this.ctx.isAdmin();
  }

  dirty() {
    return canonical(this.draft) !== canonical(normalise(this.ctx.policy));
  }

  scope() {
    return $('#policy-scope').value;
  }

  render() {
    const admin = this.editable();
    const scope = this.scope();
    show($('#policy-readonly'), !admin);
    show($('#policy-save'), admin);
    show($('#policy-reset'), admin);
    $('#preview-run').disabled = !admin;
    $('#policy-failure').disabled = !admin;
    $('#policy-failure').value = this.draft.onProviderFailure;
    fill($('#policy-version'), `In force: version ${this.ctx.policy.version ?? 0}${this.ctx.policy.version ? '' : ' (defaults)'}`);
    fill($('#policy-title'), scope ? `Thresholds in “${scope}”` : 'Global thresholds');
    fill($('#policy-help'), scope
      ? 'Tick a harm category to override its global thresholds in this forum category; the others follow the global values.'
      : 'A score at or above flag holds the post for review; at or above reject rejects it. Empty: never fires.');
    const overrides = scope ? (this.draft.categoryOverrides[scope]?.thresholds || {}) : null;
    fill($('#policy-table'),
      el('thead', null, el('tr', null,
        el('th', null, 'Harm category'),
        scope ? el('th', null, 'Override') : null,
        el('th', null, 'Flag at'),
        el('th', null, 'Reject at'),
        el('th', {class: 'num', title: 'Posts among the previewed ones where this category fired: policy in force → draft'},
          'Preview: flagged · rejected'))),
      el('tbody', null, HARM_CATEGORIES.map((category) => {
        const overridden = scope ? Object.prototype.hasOwnProperty.call(overrides, category) : false;
        const values = scope && overridden ? overrides[category] : this.draft.thresholds[category];
        const inherited = scope && !overridden;
        return el('tr', {dataset: {category}, class: inherited ? 'inherited' : null},
          el('td', null, category),
          scope ? el('td', null, el('input', {type: 'checkbox', class: 'override', checked: overridden,
            disabled: !admin, 'aria-label': `Override ${category} in ${scope}`,
            onchange: (e) => this.setOverride(scope, category, e.target.checked)})) : null,
          el('td', null, this.input(category, 'flag', values.flag, admin && !inherited)),
          el('td', null, this.input(category, 'reject', values.reject, admin && !inherited)),
          el('td', {class: 'num preview-cell'}, this.previewCell(category)));
      })));
    this.changed(false);
  }

  input(category, level, value, enabled) {
    return el('input', {
      type: 'number', min: 0, max: 1, step: 0.01, class: 'threshold', placeholder: 'never',
      value: value ?? '', disabled: !enabled, name: `${category}.${level}`,
      'aria-label': `${level} threshold for ${category}`,
      oninput: (e) => this.setValue(category, level, e.target),
    });
  }

  setValue(category, level, input) {
    const text = input.value.trim();
    const value = text === '' ? null : Number(text);
    const valid = value === null || (Number.isFinite(value) && value >= 0 && value <= 1);
    input.classList.toggle('invalid', !valid);
    if (!valid) {
      this.changed();
      return;
    }
    const scope = this.scope();
    const target = scope ? this.draft.categoryOverrides[scope].thresholds : this.draft.thresholds;
    target[category] = {...target[category], [level]: value};
    this.changed();
  }

  setOverride(scope, category, on) {
    const override = this.draft.categoryOverrides[scope] || (this.draft.categoryOverrides[scope] = {thresholds: {}});
    if (on) override.thresholds[category] = {...this.draft.thresholds[category]};
    else delete override.thresholds[category];
    if (Object.keys(override.thresholds).length === 0 && !override.newAccounts) delete this.draft.categoryOverrides[scope];
    this.render();
  }

  /**
   * A calibration suggestion into the draft: the flag threshold of one harm category in one forum
   * category (an override there, starting from the values in force), then the preview of the draft.
   */
  trySuggestion(forum, harm, flag) {
    if (!this.editable()) return;
    const known = Array.from($('#policy-scope').options).some((o) => o.value === forum);
    if (known) {
      $('#policy-scope').value = forum;
      const override = this.draft.categoryOverrides[forum] || (this.draft.categoryOverrides[forum] = {thresholds: {}});
      override.thresholds[harm] = {...(override.thresholds[harm] || this.draft.thresholds[harm]), flag};
    } else {
      // A forum category that no longer exists: the global threshold is the only place for it.
      $('#policy-scope').value = '';
      this.draft.thresholds[harm] = {...this.draft.thresholds[harm], flag};
    }
    this.render();
    this.runPreview();
  }

  changed(staleView = true) {
    const invalid = document.querySelectorAll('#policy-table input.invalid').length > 0;
    const dirty = this.dirty();
    $('#policy-save').disabled = !dirty || invalid;
    $('#policy-reset').disabled = !dirty;
    fill($('#policy-dirty'), invalid ? 'Thresholds are numbers from 0 to 1, or empty.' : dirty ? 'Unsaved changes' : '');
    if (staleView && this.preview) $('#preview-result').classList.add('stale');
  }

  async save() {
    try {
      const saved = await api.put('/api/moderation/policy', this.draft);
      this.ctx.policy = saved;
      this.ctx.toast(`Policy saved as version ${saved.version}`, 'ok');
      this.reset();
    } catch (e) {
      this.ctx.toast(e.describe ? e.describe() : e.message, 'error');
    }
  }

  async runPreview() {
    const last = Number($('#preview-last').value) || 500;
    try {
      this.preview = await api.post('/api/moderation/policy/preview', {policy: this.draft, last});
    } catch (e) {
      this.ctx.toast(e.describe ? e.describe() : e.message, 'error');
      return;
    }
    const p = this.preview;
    const row = (label, key) => el('tr', {dataset: {outcome: key}},
      el('td', null, label),
      el('td', {class: 'num'}, count(p.current[key])),
      el('td', {class: 'num'}, count(p.candidate[key])),
      el('td', {class: ['num', 'delta', delta(p.candidate[key] - p.current[key])]}, signed(p.candidate[key] - p.current[key])));
    const result = $('#preview-result');
    result.classList.remove('stale');
    fill(result,
      el('p', {class: 'preview-summary'}, `Of the last ${count(p.considered)} scored posts, this draft changes the decision of `,
        el('strong', {id: 'preview-changed'}, count(p.changed)), '.'),
      el('table', {class: 'table', id: 'preview-table'},
        el('thead', null, el('tr', null, el('th', null, 'Decision'), el('th', {class: 'num'}, `In force (v${p.currentVersion})`),
          el('th', {class: 'num'}, 'Draft'), el('th', {class: 'num'}, 'Change'))),
        el('tbody', null, row('published', 'published'), row('flagged', 'flagged'), row('rejected', 'rejected'))));
    this.render();
  }

  previewCell(category) {
    const c = this.preview?.categories?.[category];
    if (!c) return '';
    const part = (now, then) => now === then ? count(then) : `${count(now)} → ${count(then)}`;
    return el('span', {class: c.current.flagged !== c.candidate.flagged || c.current.rejected !== c.candidate.rejected ? 'moved' : null},
      part(c.current.flagged, c.candidate.flagged), ' · ', part(c.current.rejected, c.candidate.rejected));
  }
}

/** The policy as the editor holds it: every harm category present globally, no version. */
function normalise(policy) {
  const thresholds = {};
  for (const category of HARM_CATEGORIES) {
    const t = policy?.thresholds?.[category];
    thresholds[category] = {flag: t?.flag ?? null, reject: t?.reject ?? null};
  }
  const categoryOverrides = {};
  for (const [slug, override] of Object.entries(policy?.categoryOverrides || {})) {
    const entries = Object.entries(override?.thresholds || {});
    // New-account rules are not edited here, but a save must keep them (docs/moderation.md, "Trust levels").
    if (!entries.length && !override?.newAccounts) continue;
    categoryOverrides[slug] = {thresholds: Object.fromEntries(entries.map(([c, t]) =>
      [c, {flag: t?.flag ?? null, reject: t?.reject ?? null}]))};
    if (override?.newAccounts) categoryOverrides[slug].newAccounts = override.newAccounts;
  }
  const normalised = {thresholds, categoryOverrides, onProviderFailure: policy?.onProviderFailure || 'flag'};
  if (policy?.newAccounts) normalised.newAccounts = policy.newAccounts;
  return normalised;
}

/** JSON with sorted keys, so that the order edits happened in does not count as a change. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function signed(n) {
  return n > 0 ? `+${count(n)}` : n < 0 ? `−${count(-n)}` : '0';
}

function delta(n) {
  return n > 0 ? 'up' : n < 0 ? 'down' : 'same';
}
