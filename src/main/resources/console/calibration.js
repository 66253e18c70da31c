// The calibration table on the policy page: what moderators made of the items each harm category's
// flag threshold sent them, per forum category, and the threshold that would have kept precision at
// a target. "Try" hands a suggestion to the policy editor, which previews it.
import {api, query} from './api.js';
import {$, el, fill, show} from './dom.js';
import {count} from './format.js';

const DAY = 24 * 3600 * 1000;
const NO_SUGGESTION = {'too-few-items': 'too few items', 'target-not-reached': 'target not reached'};

export class CalibrationTable {
  /** @param tryThreshold (forumCategory, harmCategory, flag) => void: put a flag threshold into the editor and preview it */
  constructor(ctx, tryThreshold) {
    this.ctx = ctx;
    this.tryThreshold = tryThreshold;
    $('#calibration-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.load();
    });
    $('#calibration-period').addEventListener('change', () => this.load());
  }

  async load() {
    const days = Number($('#calibration-period').value) || 30;
    const target = Number($('#calibration-target').value) || 0.9;
    const table = $('#calibration-table');
    table.dataset.loading = 'true';
    let report;
    try {
      report = await api.get(`/api/moderation/calibration${query({
        since: new Date(Date.now() - days * DAY).toISOString(), precision: target})}`);
    } catch (e) {
      this.ctx.toast(e.describe ? e.describe() : e.message, 'error');
      return;
    } finally {
      table.dataset.loading = 'false';
    }
    this.render(report);
  }

  render(report) {
    const admin = this.ctx.isAdmin();
    fill($('#calibration-summary'), `Items resolved by moderators since ${report.since.slice(0, 10)}; `
      + `suggestions keep precision at ${percent(report.target)} with at least ${report.minItems} items at or above them.`);
    show($('#calibration-empty'), report.rows.length === 0);
    fill($('#calibration-table'),
      el('thead', null, el('tr', null,
        el('th', null, 'Harm category'),
        el('th', null, 'Forum category'),
        el('th', {class: 'num', title: 'Flagged by this category, approved by a moderator'}, 'Approved (false positives)'),
        el('th', {class: 'num', title: 'Flagged by this category, rejected by a moderator'}, 'Rejected'),
        el('th', {class: 'num', title: 'Rejected ÷ resolved'}, 'Precision'),
        el('th', {class: 'num', title: 'Published automatically, then reported and rejected: scored highest in this category'}, 'Missed'),
        el('th', {class: 'num'}, 'Flag in force'),
        el('th', {class: 'num'}, 'Suggested flag'),
        el('th', {class: 'num', title: 'Resolved items at or above the suggestion: rejected of resolved'}, 'At suggestion'),
        el('th', null, ''))),
      el('tbody', null, report.rows.map((row) => {
        const s = row.suggestion;
        return el('tr', {dataset: {harm: row.harmCategory, forum: row.forumCategory}},
          el('td', null, row.harmCategory),
          el('td', null, row.forumCategory),
          el('td', {class: 'num approved'}, count(row.approved)),
          el('td', {class: 'num rejected'}, count(row.rejected)),
          el('td', {class: ['num', 'precision', row.precision !== null && row.precision < report.target ? 'warn' : null]},
            row.precision === null ? '—' : percent(row.precision)),
          el('td', {class: 'num missed'}, count(row.missed)),
          el('td', {class: 'num flag-now'}, threshold(row.threshold?.flag)),
          el('td', {class: 'num suggested'}, s ? threshold(s.flag) : el('span', {class: 'muted'}, NO_SUGGESTION[row.status] || row.status)),
          el('td', {class: 'num support'}, s ? `${count(s.rejected)} of ${count(s.resolved)} · ${percent(s.precision)}` : ''),
          el('td', null, s ? el('button', {
            type: 'button', class: 'btn btn-quiet try', disabled: !admin,
            title: admin ? `Put ${threshold(s.flag)} into the editor for ${row.forumCategory} and preview it` : 'Needs the admin role',
            onclick: () => this.tryThreshold(row.forumCategory, row.harmCategory, s.flag),
          }, 'Try in preview') : null));
      })));
  }
}

function percent(value) {
  return `${(value * 100).toFixed(1)}%`;
}

function threshold(value) {
  return value === null || value === undefined ? 'never' : String(Math.round(value * 1000) / 1000);
}
