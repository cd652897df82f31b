// api.js: the dashboard's only door to the daemon: fetch() on /api/v1 with the bearer token
// kept in localStorage, JSON in and out, and one error type that says what went wrong.

const TOKEN_KEY = 'jobhost.apiToken';

export const AUTH_HINT = 'Enter the API token (http.token in the configuration)';

export function getToken() {
  try {
    return localStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(token) {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled (private mode): the token lives as long as the page.
  }
  memoryToken = token;
}

let memoryToken = getToken();

export class ApiError extends Error {
  constructor(status, message, problems = [], body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;  // 0: no answer at all
    this.problems = problems;  // [{path, message}] of a 400
    this.body = body;
  }

  get isAuth() {
    return this.status === 401 || this.status === 403;
  }

  // The API did not answer, or answered that it cannot work (store down, daemon stopping).
  get isUnreachable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

// The text to show a person for a failed request.
export function errorText(err) {
  if (!(err instanceof ApiError)) return String(err && err.message ? err.message : err);
  if (err.status === 401) {
    return getToken() ? `${AUTH_HINT}: the API refused this token (${err.message})`
                      : `${AUTH_HINT}.`;
  }
  if (err.status === 403) return `${AUTH_HINT}: ${err.message}`;
  return err.message;
}

// api('GET', '/api/v1/status') -> parsed JSON (null for an empty body); throws ApiError.
export async function api(method, path, body, {timeoutMs = 20000} = {}) {
  const headers = {Accept: 'application/json'};
  const token = memoryToken || getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = {method, headers, cache: 'no-store', credentials: 'same-origin'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  init.signal = controller.signal;
  let response;
  let text;
  try {
    response = await fetch(path, init);
    text = await response.text();
  } catch (e) {
    const why = e && e.name === 'AbortError' ? `no answer within ${timeoutMs / 1000} s`
                                             : (e && e.message) || 'network error';
    throw new ApiError(0, `cannot reach the jobhost API (${why})`);
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const message = data && typeof data.error === 'string' && data.error
                        ? data.error
                        : (text || '').trim().slice(0, 300) || `HTTP ${response.status} ${response.statusText}`;
    const problems = data && Array.isArray(data.problems) ? data.problems : [];
    throw new ApiError(response.status, message, problems, data);
  }
  if (data === null && text) throw new ApiError(response.status, `${path}: the answer is not JSON`);
  return data;
}

// Path segments and query values, encoded.
export const enc = encodeURIComponent;

export function scheduleUrl(jobType, key) {
  return `/api/v1/schedules/${enc(jobType)}${key ? `?key=${enc(key)}` : ''}`;
}
