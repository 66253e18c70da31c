// The console's only way to the server: the public JSON API with the moderator's bearer token.
// The token lives in sessionStorage (gone when the tab closes, never in a cookie or the URL).

const KEY = 'parley.console.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** "field: message" lines of a 422, or the detail. */
  describe() {
    const errors = this.problem.errors || [];
    return errors.length ? errors.map((e) => `${e.field}: ${e.message}`).join('; ') : this.message;
  }
}

export const session = {
  get() {
    try {
      const value = JSON.parse(sessionStorage.getItem(KEY));
      return value && value.token && value.expiresAt > Date.now() ? value : null;
    } catch {
      return null;
    }
  },
  save(value) {
    sessionStorage.setItem(KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/**
 * Revokes a session on the server (its access and refresh tokens stop working at once), without
 * waiting and without the 401 handling of request(): the console forgets the token either way.
 */
export function endSession(token) {
  fetch('/api/auth/logout', {
    method: 'POST',
    headers: {Authorization: `Bearer ${token}`},
    credentials: 'omit',
    cache: 'no-store',
  }).catch(() => {});
}

let onUnauthorized = () => {};

/** What to do when the server no longer accepts the token (expired, user gone): sign out. */
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

export async function request(method, path, body) {
  const headers = {Accept: 'application/json'};
  const current = session.get();
  if (current) headers.Authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, {title: 'Network error', detail: 'The server cannot be reached.'});
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = {detail: text.slice(0, 200)};
    }
  }
  if (!response.ok) {
    if (response.status === 401 && current) onUnauthorized();
    throw new ApiError(response.status, data);
  }
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body ?? {}),
  put: (path, body) => request('PUT', path, body),
  patch: (path, body) => request('PATCH', path, body),
  del: (path) => request('DELETE', path),
};

/** A query string from the non-empty values of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
