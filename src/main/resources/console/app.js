// The console's entry: sign-in, the session, navigation between views and the shared state.
import {api, session, whenUnauthorized, endSession, ApiError} from './api.js';
import {$, $all, show, fill} from './dom.js';
import {QueueView} from './queue.js';
import {DashboardView} from './dashboard.js';
import {PolicyView} from './policy.js';
import {WebhooksView} from './webhooks.js';
import {follow} from './live.js';

const STAFF = ['moderator', 'admin'];

/** What every view needs: who is signed in, the forum categories, the policy in force, a toast. */
export const ctx = {
  me: null,
  categories: [],
  policy: null,
  isAdmin() {
    return this.me?.role === 'admin';
  },
  async reloadPolicy() {
    this.policy = await api.get('/api/moderation/policy');
    return this.policy;
  },
  toast(message, kind = 'info') {
    const toast = $('#toast');
    fill(toast, message);
    toast.dataset.kind = kind;
    show(toast);
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => show(toast, false), kind === 'error' ? 8000 : 4000);
  },
};

const views = {};
let current = null;
let live = null;

function showLogin(message) {
  show($('#nav'), false);
  show($('#who'), false);
  for (const view of Object.values(views)) view.hide();
  $all('.view').forEach((v) => show(v, false));
  show($('#view-login'));
  const error = $('#login-error');
  fill(error, message || '');
  show(error, Boolean(message));
  $('#login-username').focus();
}

async function signIn(event) {
  event.preventDefault();
  const username = $('#login-username').value.trim();
  const password = $('#login-password').value;
  const button = $('#login-submit');
  button.disabled = true;
  try {
    const login = await api.post('/api/auth/login', {username, password});
    const role = highest(login.roles);
    if (!STAFF.includes(role)) {
      // Keep no token of an account that cannot use the console, and end its session.
      endSession(login.access_token);
      showLogin(`Signed in as ${login.username}, but the console needs the moderator role: this account is a ${role}.`);
      return;
    }
    session.save({
      token: login.access_token,
      username: login.username,
      expiresAt: Date.now() + (login.expires_in - 30) * 1000,
    });
    $('#login-password').value = '';
    await start();
  } catch (e) {
    showLogin(e instanceof ApiError && e.status === 401 ? 'Wrong username or password.' : e.message);
  } finally {
    button.disabled = false;
  }
}

function highest(roles = []) {
  return ['admin', 'moderator', 'member'].find((r) => roles.includes(r)) || 'member';
}

/** The moderators' event stream feeds every view that wants it (onEvent), while signed in. */
function startLive() {
  stopLive();
  const indicator = $('#live');
  live = follow('/api/moderation/events', (event) => {
    for (const view of Object.values(views)) view.onEvent?.(event);
  }, (state) => {
    indicator.dataset.state = state;
    fill(indicator, state === 'live' ? 'Live' : 'Reconnecting…');
  });
}

function stopLive() {
  if (live) live.close();
  live = null;
}

function signOut(message) {
  stopLive();
  session.clear();
  ctx.me = null;
  showLogin(message);
}

/** With a stored token: who is this now (the role is the database's, not the token's), then the views. */
async function start() {
  let me;
  try {
    me = await api.get('/api/me');
  } catch (e) {
    signOut(e.status === 401 ? 'Your session has ended; please sign in again.' : e.message);
    return;
  }
  if (!STAFF.includes(me.role)) {
    signOut(`The console needs the moderator role: ${me.username} is a ${me.role}.`);
    return;
  }
  ctx.me = me;
  const [categories] = await Promise.all([api.get('/api/categories'), ctx.reloadPolicy()]);
  ctx.categories = categories;
  show($('#view-login'), false);
  show($('#nav'));
  show($('#who'));
  fill($('#who-name'), me.username);
  fill($('#who-role'), me.role);
  $('#who-role').dataset.role = me.role;
  document.body.dataset.role = me.role;
  for (const view of Object.values(views)) view.init();
  startLive();
  route();
}

function route() {
  if (!ctx.me) return;
  const name = (location.hash || '#queue').slice(1);
  const next = views[name] ? name : 'queue';
  if (current && current !== next) views[current].hide();
  $all('#nav a').forEach((a) => a.setAttribute('aria-current', a.dataset.view === next ? 'page' : 'false'));
  $all('.view').forEach((v) => show(v, v.id === `view-${next}`));
  current = next;
  views[next].show();
}

function boot() {
  views.queue = new QueueView(ctx);
  views.dashboard = new DashboardView(ctx);
  views.policy = new PolicyView(ctx);
  views.webhooks = new WebhooksView(ctx);
  $('#login-form').addEventListener('submit', signIn);
  $('#sign-out').addEventListener('click', () => {
    const current = session.get();
    if (current) endSession(current.token);
    signOut();
  });
  whenUnauthorized(() => signOut('Your session has ended; please sign in again.'));
  window.addEventListener('hashchange', route);
  if (session.get()) {
    start();
  } else {
    showLogin();
  }
}

boot();
