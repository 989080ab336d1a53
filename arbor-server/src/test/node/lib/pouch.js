'use strict';
// PouchDB 9 as the tests use it: remote databases on the server under test (HTTP adapter, traffic
// traced) and local databases in memory.

const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));

const { serverUrl, credentials, dbName, tracedFetch } = require('./scenario');

const fetch = tracedFetch(PouchDB.fetch);

/** A database on the server under test; PouchDB creates it on first use. */
function remote(label) {
  const name = dbName(label);
  const db = new PouchDB(`${serverUrl()}/${name}`, { fetch, auth: credentials() });
  db.dbNameOnServer = name;
  return db;
}

/** A PouchDB in this process's memory. */
function local(label) {
  return new PouchDB(dbName(label), { adapter: 'memory' });
}

/**
 * Resolves when `predicate()` holds, checking every 50 ms; rejects with `what` after `ms`, which only ends a step that
 * would never pass: a busy machine may take far longer than usual, and that must not fail the step.
 */
async function eventually(what, predicate, ms = 60000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The rejection of `promise`, failing when it resolves. */
async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** A plain HTTP request to the server under test, with the test's credentials; for checks outside PouchDB. */
function request(path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  const auth = credentials();
  if (auth) {
    headers.Authorization = 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  }
  return fetch(`${serverUrl()}${path}`, { ...opts, headers });
}

module.exports = { PouchDB, remote, local, request, eventually, rejection };
