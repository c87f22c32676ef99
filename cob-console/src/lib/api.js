// The REST API of the node that served the page. Paths are relative to the page, so a console
// behind a reverse proxy under a path prefix still reaches its own node.
import { h } from './dom.js';

/** An error answer: the RFC 9457 problem the node sent, or one made up for a network failure. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Calls `api/v1` + path. `body` objects are sent as JSON; strings, Blobs and FormData as they are
 * (with `contentType` when given). Resolves to the parsed JSON, the text, or null for 204;
 * rejects with an ApiError.
 */
export async function api(path, { method = 'GET', body, contentType, signal } = {}) {
  const headers = { Accept: 'application/json, application/problem+json, */*' };
  let payload = body;
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)
      && typeof body !== 'string') {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  } else if (contentType) {
    headers['Content-Type'] = contentType;
  }
  let res;
  try {
    res = await fetch(`api/v1${path}`, { method, body: payload, headers, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, {
      title: 'Node unreachable',
      detail: `the node did not answer ${method} ${path}: ${e.message}`,
    });
  }
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    let problem;
    if (type.includes('json')) {
      problem = await res.json().catch(() => ({}));
    } else {
      problem = { title: res.statusText, detail: await res.text().catch(() => '') };
    }
    throw new ApiError(res.status, { status: res.status, ...problem });
  }
  if (res.status === 204) return null;
  return type.includes('json') ? res.json() : res.text();
}

/** Query string of the non-empty entries, with a leading `?` (or empty). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A readable box for an error: title, status, detail and each listed error with its place. */
export function problemView(err) {
  const p = err instanceof ApiError ? err.problem : { title: 'Error', detail: String(err) };
  const errors = Array.isArray(p.errors) ? p.errors : [];
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('strong', {}, p.title || 'Error', p.status ? ` (${p.status})` : ''),
    p.detail ? h('p', { text: p.detail }) : null,
    errors.length
      ? h('ul', { class: 'problem-errors' }, errors.map((e) => h('li', {}, errorText(e))))
      : null,
  );
}

function errorText(e) {
  const where = [];
  if (e.file) where.push(e.file + (e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''));
  if (e.elementId) where.push(`element '${e.elementId}'${e.tag ? ` (<${e.tag}>)` : ''}`);
  if (e.field) where.push(`field '${e.field}'`);
  return [
    where.length ? h('code', { text: where.join(' ') }) : null,
    where.length ? ': ' : '',
    e.message ?? JSON.stringify(e),
  ];
}
