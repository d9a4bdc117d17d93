// @ts-check
// The portal's only way to data: the JSON API, with the user's bearer token. The token lives in sessionStorage (this
// tab, until sign-out or the tab closes) and only ever travels in the Authorization header, never in a URL.

const TOKEN_KEY = 'commission-portal.token';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

const TITLES = {
  400: 'Invalid input',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  422: 'Rejected',
  500: 'Server error',
  503: 'Unavailable',
};

/** An answer other than 2xx, with the API's own error body ({ error, message, details }). */
export class ApiError extends Error {
  constructor(status, body, method, path) {
    const message = body && typeof body.message === 'string' ? body.message : Array.isArray(body?.message) ? body.message.join('; ') : `HTTP ${status}`;
    super(message);
    this.status = status;
    this.body = body;
    this.method = method;
    this.path = path;
    this.details = body?.details ?? null;
  }

  get title() {
    return `${TITLES[this.status] ?? 'Error'} (${this.status})`;
  }
}

/**
 * Fetches `path` from the API. JSON in, JSON out; money stays a decimal string as the API sends it.
 * @param {string} path
 * @param {{ method?: string, json?: unknown, body?: BodyInit, contentType?: string, raw?: boolean, accept?: string }} [options]
 * @returns {Promise<any>}
 */
export async function api(path, { method = 'GET', json, body, contentType, raw = false, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (contentType) {
    headers['Content-Type'] = contentType;
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, { message: `the server could not be reached (${e.message})` }, method, path);
  }
  if (!res.ok) {
    let errBody = null;
    try {
      errBody = await res.json();
    } catch {
      /* not JSON */
    }
    const err = new ApiError(res.status, errBody, method, path);
    if (res.status === 401) window.dispatchEvent(new CustomEvent('portal:unauthorized', { detail: err }));
    throw err;
  }
  if (raw) return res;
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : res.text();
}

/**
 * Downloads a file the API serves (statement PDF, payroll CSV) with the Authorization header, and saves it through a
 * Blob link: the token never goes into a URL.
 */
export async function download(path, fallbackName) {
  const res = await api(path, { raw: true, accept: '*/*' });
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = disposition.match(/filename="?([^";]+)"?/)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, size: blob.size, headers: res.headers };
}
