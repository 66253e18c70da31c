// Webhooks (admins): register endpoints, enable / disable / delete them, and read each one's delivery
// log with a redeliver button. Everything is built with el(): URLs, reasons and errors come from
// admins and receivers and are shown as text, never parsed as HTML.
import {api, query, ApiError} from './api.js';
import {$, el, fill, show} from './dom.js';
import {ago, dateTime} from './format.js';

// The outbox's event types (events/EventType's wire names), offered as checkboxes.
const EVENT_TYPES = [
  'thread.created', 'post.created', 'post.edited', 'post.published', 'post.hidden', 'post.deleted',
  'thread.locked', 'thread.unlocked', 'decision.made', 'queue.opened', 'queue.claimed', 'queue.released',
  'queue.resolved', 'appeal.filed',
];

export class WebhooksView {
  constructor(ctx) {
    this.ctx = ctx;
    this.selected = null;
    fill($('#webhook-types'), EVENT_TYPES.map((type) => el('label', {class: 'check'},
      el('input', {type: 'checkbox', value: type, name: 'webhook-type'}), type)));
    $('#webhook-form').addEventListener('submit', (e) => this.register(e));
    // Set here: the page itself names nothing from elsewhere.
    $('#webhook-url').placeholder = 'https://hooks.example.com/parley';
  }

  init() {
    const admin = this.ctx.isAdmin();
    show($('#nav-webhooks'), admin);
    show($('#webhooks-admin'), admin);
    show($('#webhooks-note'), !admin);
  }

  show() {
    if (this.ctx.isAdmin()) this.load();
  }

  hide() {}

  async load() {
    try {
      const page = await api.get('/api/admin/webhooks' + query({limit: 100}));
      this.endpoints = page.items;
      this.drawEndpoints();
      if (this.selected && this.endpoints.some((e) => e.id === this.selected)) {
        await this.loadDeliveries(this.selected);
      } else {
        this.selected = null;
        fill($('#webhook-deliveries'), el('p', {class: 'muted'}, 'Choose an endpoint to see its deliveries.'));
      }
    } catch (e) {
      fill($('#webhook-list'), el('p', {class: 'form-error'}, e.message));
    }
  }

  drawEndpoints() {
    fill($('#webhook-list'), this.endpoints.length
      ? el('table', {class: 'table small', id: 'webhook-table'},
        el('thead', null, el('tr', null, ['URL', 'Events', 'State', 'Failures in a row', ''].map((h) => el('th', null, h)))),
        el('tbody', null, this.endpoints.map((hook) => el('tr', {dataset: {webhook: hook.id},
          class: hook.id === this.selected ? 'selected' : null},
        el('td', {class: 'webhook-url'}, hook.url),
        el('td', null, hook.eventTypes.join(', ')),
        el('td', null,
          el('span', {class: `state ${hook.enabled ? 'state-succeeded' : 'state-failed'}`},
            hook.enabled ? 'enabled' : 'disabled'),
          hook.disabledReason ? el('div', {class: 'muted small', title: dateTime(hook.disabledAt)}, hook.disabledReason) : null),
        el('td', {class: ['num', hook.consecutiveFailures && 'warn']}, String(hook.consecutiveFailures)),
        el('td', {class: 'actions'},
          el('button', {type: 'button', class: 'btn btn-small', dataset: {deliveries: hook.id},
            onclick: () => this.loadDeliveries(hook.id)}, 'Deliveries'),
          el('button', {type: 'button', class: 'btn btn-small', dataset: {toggle: hook.id},
            onclick: () => this.toggle(hook)}, hook.enabled ? 'Disable' : 'Enable'),
          el('button', {type: 'button', class: 'btn btn-reject btn-small', dataset: {remove: hook.id},
            onclick: () => this.remove(hook)}, 'Delete'))))))
      : el('p', {class: 'muted', id: 'webhook-none'}, 'No endpoint is registered.'));
  }

  async register(event) {
    event.preventDefault();
    const types = Array.from(document.querySelectorAll('input[name="webhook-type"]:checked')).map((i) => i.value);
    const secret = $('#webhook-secret').value.trim();
    const body = {url: $('#webhook-url').value.trim(), eventTypes: types};
    if (secret) body.secret = secret;
    const error = $('#webhook-error');
    show(error, false);
    try {
      const created = await api.post('/api/admin/webhooks', body);
      $('#webhook-form').reset();
      fill($('#webhook-created'),
        el('p', null, 'Registered. Its signing secret, shown this once (store it with the receiver):'),
        el('code', {class: 'secret', id: 'webhook-secret-value'}, created.secret));
      show($('#webhook-created'));
      this.selected = created.id;
      await this.load();
    } catch (e) {
      fill(error, e instanceof ApiError ? e.describe() : e.message);
      show(error);
    }
  }

  async toggle(hook) {
    try {
      await api.patch(`/api/admin/webhooks/${hook.id}`, {enabled: !hook.enabled});
      await this.load();
    } catch (e) {
      this.ctx.toast(e.message, 'error');
    }
  }

  async remove(hook) {
    if (!window.confirm(`Delete the endpoint ${hook.url} and its delivery log?`)) return;
    try {
      await api.del(`/api/admin/webhooks/${hook.id}`);
      if (this.selected === hook.id) this.selected = null;
      await this.load();
    } catch (e) {
      this.ctx.toast(e.message, 'error');
    }
  }

  async loadDeliveries(id) {
    this.selected = id;
    this.drawEndpoints();
    try {
      const page = await api.get(`/api/admin/webhooks/${id}/deliveries` + query({limit: 50}));
      fill($('#webhook-deliveries'), page.items.length
        ? el('table', {class: 'table small', id: 'delivery-table'},
          el('thead', null, el('tr', null, ['Event', 'Type', 'State', 'Attempt', 'HTTP', 'Time', 'Error', 'When', '']
            .map((h) => el('th', null, h)))),
          el('tbody', null, page.items.map((d) => this.deliveryRows(id, d))))
        : el('p', {class: 'muted'}, 'No deliveries yet.'));
    } catch (e) {
      fill($('#webhook-deliveries'), el('p', {class: 'form-error'}, e.message));
    }
  }

  /** One row per attempt (the newest first), the delivery's state and button on its first row. */
  deliveryRows(endpointId, d) {
    const attempts = d.log.length ? [...d.log].reverse() : [null];
    return attempts.map((a, i) => el('tr', {dataset: {delivery: d.id}},
      el('td', null, i ? '' : `#${d.eventId}`),
      el('td', null, i ? '' : d.eventType),
      el('td', null, i ? '' : el('span', {class: `state state-${d.state === 'delivered' ? 'succeeded'
        : d.state === 'failed' ? 'failed' : 'running'}`}, d.state)),
      el('td', {class: 'num'}, a ? String(a.attempt) : '—'),
      el('td', {class: ['num', a && a.error && 'bad']}, a && a.status !== null ? String(a.status) : '—'),
      el('td', {class: 'num'}, a && a.responseMs !== null ? `${a.responseMs} ms` : '—'),
      el('td', {class: 'webhook-error'}, a?.error || ''),
      el('td', {title: a ? dateTime(a.at) : ''}, a ? ago(a.at) : ''),
      el('td', null, i || d.state === 'pending' ? '' : el('button', {type: 'button', class: 'btn btn-small',
        dataset: {redeliver: d.id}, onclick: () => this.redeliver(endpointId, d)}, 'Redeliver'))));
  }

  async redeliver(endpointId, d) {
    try {
      await api.post(`/api/admin/webhooks/${endpointId}/deliveries/${d.id}/redeliver`);
      this.ctx.toast(`Event #${d.eventId} queued for delivery again.`);
      await this.loadDeliveries(endpointId);
    } catch (e) {
      this.ctx.toast(e.message, 'error');
    }
  }
}
