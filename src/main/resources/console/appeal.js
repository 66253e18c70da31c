// Appeal items of the review queue: the author's message and the decision under appeal, and the
// uphold / overturn actions that decide them. Kept apart from queue.js, which only asks for them.
import {el} from './dom.js';
import {ago, dateTime, score} from './format.js';

/** The actions an item's kind allows, with their button label, keyboard key and toast. */
export const ACTIONS = {
  review: [
    {action: 'approve', label: 'Approve', key: 'a', css: 'btn-approve', done: 'Approved'},
    {action: 'reject', label: 'Reject', key: 'r', css: 'btn-reject', done: 'Rejected'},
  ],
  appeal: [
    {action: 'overturn', label: 'Overturn', key: 'o', css: 'btn-approve', done: 'Overturned the decision on'},
    {action: 'uphold', label: 'Uphold', key: 'u', css: 'btn-reject', done: 'Upheld the decision on'},
  ],
};

export function actionsOf(item) {
  return ACTIONS[item?.kind === 'appeal' ? 'appeal' : 'review'];
}

export function isAppeal(item) {
  return item?.kind === 'appeal';
}

/** The label of a finished item's resolution. */
export const RESOLVED = {
  approve: 'Approved', reject: 'Rejected', superseded: 'Superseded', uphold: 'Appeal upheld', overturn: 'Appeal overturned',
};

export function appealChip() {
  return el('span', {class: 'chip chip-appeal'}, 'appeal');
}

/**
 * What the moderator decides on: the author's message, then the decision under appeal — taken
 * automatically (with the thresholds its scores crossed) or by which moderator, with their note.
 */
export function appealSection(appeal, me) {
  const original = appeal.original;
  const decided = original.decision === 'rejected' ? 'Rejected' : 'Flagged';
  const byWhom = original.automated
    ? el('span', null, `${decided} automatically`,
      original.policyVersion !== undefined ? ` under policy version ${original.policyVersion}` : '')
    : el('span', null, `${decided} by `, el('strong', {class: 'original-by'}, original.by || 'a moderator'));
  return el('section', {class: 'appeal', id: 'appeal'},
    el('h3', null, 'Appeal'),
    el('blockquote', {class: 'appeal-message', id: 'appeal-message'}, appeal.message),
    el('div', {class: 'appeal-meta muted small'}, 'by ', el('strong', null, appeal.by), ' · ',
      el('span', {title: dateTime(appeal.at)}, ago(appeal.at))),
    el('h3', null, 'Decision under appeal'),
    el('div', {class: `appeal-original original-${original.decision}`, id: 'appeal-original',
      dataset: {decision: original.decision, automated: original.automated}},
    byWhom,
    original.note ? el('p', {class: 'resolution-note'}, original.note) : null,
    original.fired?.length ? el('ul', {class: 'reasons'}, original.fired.map((f) =>
      el('li', {class: 'reason'}, el('strong', null, f.category), ' scored ', score(f.score),
        ` ≥ ${f.level} threshold `, score(f.threshold)))) : null),
    original.by && original.by === me
      ? el('p', {class: 'notice own-decision', id: 'own-decision'},
        'You took the decision under appeal: another moderator must decide it, unless no other is active.')
      : null);
}
