'use strict';
// The frame every peer script runs in: it reads the server's address from the environment, runs
// named steps, records the HTTP traffic of each step, and prints ONE JSON line on stdout:
//   {"scenario": "...", "ok": true|false, "steps": [{"name", "ok", "ms", "error"?, "http"?}]}
// A failing step carries its error and the last requests/responses it made, so the Java test can
// show exactly which exchange went wrong. The process exits 1 when any step failed.
//
// Steps are independent (each uses databases of its own), so one failure does not hide the others.

const crypto = require('node:crypto');

const TRACE_LIMIT = 12;
const BODY_LIMIT = 2000;

function serverUrl() {
  const url = process.env.PEER_SERVER_URL;
  if (!url) {
    throw new Error('PEER_SERVER_URL is not set: the test passes the server under test in it');
  }
  return url.replace(/\/+$/, '');
}

/** {username, password} when the test gave credentials (Arbor has no admin party), else undefined. */
function credentials() {
  const username = process.env.PEER_USER;
  return username ? { username, password: process.env.PEER_PASSWORD || '' } : undefined;
}

/**
 * False when the server is pouchdb-server, which departs from CouchDB 3 in a few places (no
 * doc_del_count in the db info; "missing" instead of "deleted" for a deleted doc). The scripts are
 * validated against pouchdb-server too, so those few CouchDB-only checks are guarded by this; every
 * other check runs against every server.
 */
function couchdbStrict() {
  return process.env.PEER_SERVER_KIND !== 'pouchdb-server';
}

/** Database names unique to this process, so scripts can share one server. */
function dbName(label) {
  return `peer-${label}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
}

function clip(text) {
  return text.length > BODY_LIMIT ? text.slice(0, BODY_LIMIT) + `...(${text.length} chars)` : text;
}

function bodyText(body) {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return clip(body);
  if (Buffer.isBuffer(body)) return `<${body.length} bytes>`;
  return `<${typeof body} body>`;
}

/** The recent HTTP exchanges of the running step. */
class Trace {
  constructor() { this.entries = []; }

  reset() { this.entries = []; }

  start(method, url, requestBody) {
    const entry = { request: `${method} ${url}` };
    const text = bodyText(requestBody);
    if (text !== undefined) entry.requestBody = text;
    this.entries.push(entry);
    if (this.entries.length > TRACE_LIMIT) this.entries.shift();
    return entry;
  }

  recent() { return this.entries.map((e) => ({ ...e })); }
}

const trace = new Trace();

/**
 * A fetch for PouchDB's `fetch` option that records each exchange. The response body is read from a
 * clone without awaiting it, so streamed feeds (live changes) flow as they would untraced.
 */
function tracedFetch(baseFetch) {
  return async (url, opts = {}) => {
    const entry = trace.start(opts.method || 'GET', String(url), opts.body);
    try {
      const response = await baseFetch(url, opts);
      entry.status = response.status;
      const type = response.headers.get('content-type') || '';
      if (/json|text/.test(type)) {
        response.clone().text().then((t) => { entry.responseBody = clip(t); }, () => {});
      } else {
        entry.responseBody = `<${type || 'no content-type'}>`;
      }
      return response;
    } catch (e) {
      entry.error = String(e && e.message);
      throw e;
    }
  };
}

/**
 * nano's `log` option. nano logs each request ({method, url, headers}) and then its outcome
 * ({err, retval | body, headers: {statusCode}}) without an id linking them; the tests await each
 * call, so an outcome belongs to the latest request still without one.
 */
function nanoLog() {
  return (what) => {
    if (!what) return;
    if (what.method && what.url) {
      trace.start(String(what.method).toUpperCase(), what.url, undefined);
      return;
    }
    const entry = [...trace.entries].reverse().find((e) => e.status === undefined && e.error === undefined);
    if (!entry) return;
    if (what.headers && what.headers.statusCode) entry.status = what.headers.statusCode;
    if (what.err && what.err !== 'couch') entry.error = String(what.err);
    const payload = what.err ? what.body : what.retval;
    if (payload !== undefined) {
      entry.responseBody = Buffer.isBuffer(payload) ? `<${payload.length} bytes>`
        : clip(typeof payload === 'string' ? payload : JSON.stringify(payload));
    }
  };
}

function describe(error) {
  if (error instanceof Error) {
    const extra = ['status', 'name', 'reason', 'statusCode', 'error']
      .filter((k) => error[k] !== undefined && k !== 'name')
      .map((k) => `${k}=${JSON.stringify(error[k])}`);
    return [error.stack || String(error), ...extra].join('\n');
  }
  return JSON.stringify(error);
}

/**
 * Runs the steps in order and exits. Each step is `[name, async () => {...}, options?]`; a step passes
 * when its function resolves and fails when it throws (assertions) or exceeds `stepTimeoutMs`. A step
 * with `{couchdbOnly: why}` is skipped, with that reason, against pouchdb-server.
 */
async function run(scenario, steps, { stepTimeoutMs = 120000 } = {}) {
  const results = [];
  for (const [name, fn, { couchdbOnly } = {}] of steps) {
    if (couchdbOnly && !couchdbStrict()) {
      results.push({ name, ok: true, skipped: couchdbOnly });
      continue;
    }
    trace.reset();
    const started = Date.now();
    let timer;
    try {
      await Promise.race([
        fn(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`step timed out after ${stepTimeoutMs} ms`)), stepTimeoutMs);
        }),
      ]);
      results.push({ name, ok: true, ms: Date.now() - started });
    } catch (e) {
      // Let traced response bodies still being read land in the trace.
      await new Promise((r) => setTimeout(r, 50));
      results.push({ name, ok: false, ms: Date.now() - started, error: describe(e), http: trace.recent() });
    } finally {
      clearTimeout(timer);
    }
  }
  const ok = results.every((r) => r.ok);
  process.stdout.write(JSON.stringify({ scenario, server: serverUrl(), ok, steps: results }) + '\n');
  // Live feeds and keep-alive sockets would keep Node running: the verdict is out, so leave.
  process.exit(ok ? 0 : 1);
}

module.exports = { serverUrl, credentials, couchdbStrict, dbName, trace, tracedFetch, nanoLog, run };
