'use strict';
// PouchDB 9's own replicator against the server at scale: a local in-memory PouchDB and a database
// on the server, 10,000 documents seeded half on each side (attachments, deletions), synced, then
// conflicting edits made on both sides and synced again. Afterwards both hold the same revision
// trees (every leaf with its body and _revisions), the same winners and _conflicts, and a further
// sync transfers nothing. The data set is the one of Arbor's Java proofs (DivergentData).

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { run } = require('./lib/scenario');
const { PouchDB, remote, local } = require('./lib/pouch');

const N = 10000;
const CHUNK = 1000;
const id = (n) => `doc-${String(n).padStart(5, '0')}`;

function attach(doc, name, content) {
  doc._attachments = { [name]: { content_type: 'text/plain', data: Buffer.from(content).toString('base64') } };
  return doc;
}

async function writeAll(db, docs) {
  const results = [];
  for (let i = 0; i < docs.length; i += CHUNK) {
    const written = await db.bulkDocs(docs.slice(i, i + CHUNK));
    for (const r of written) assert.ok(r.ok, `write refused: ${JSON.stringify(r)}`);
    results.push(...written);
  }
  return results;
}

async function revs(db, ids) {
  const out = {};
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = (await db.allDocs({ keys: ids.slice(i, i + CHUNK) })).rows;
    for (const row of rows) out[row.id] = row.value.rev;
  }
  return out;
}

async function seed(db, from, to) {
  const docs = [];
  for (let n = from; n < to; n++) {
    const doc = { _id: id(n), n, text: `seeded document ${n}` };
    docs.push(n % 25 === 0 ? attach(doc, 'note.txt', `attachment of ${n}`) : doc);
  }
  await writeAll(db, docs);
  const deleted = docs.filter((d) => d.n % 20 === 0).map((d) => d._id);
  const current = await revs(db, deleted);
  await writeAll(db, deleted.map((i) => ({ _id: i, _rev: current[i], _deleted: true })));
}

async function diverge(a, b) {
  const ids = [];
  for (let n = 0; n < N; n++) if (n % 20 !== 0 && n % 50 >= 1 && n % 50 <= 4) ids.push(id(n));
  const revsA = await revs(a, ids);
  assert.deepEqual(revsA, await revs(b, ids), 'the pair is in sync before the edits');
  const editsA = [];
  const editsB = [];
  for (const i of ids) {
    const n = Number(i.slice(4));
    const rev = revsA[i];
    const edit = (text) => ({ _id: i, _rev: rev, n, text });
    switch (n % 50) {
      case 1: editsA.push(edit('edited on a')); editsB.push(edit('edited on b')); break;
      case 2: editsA.push({ _id: i, _rev: rev, _deleted: true }); editsB.push(edit('kept by b')); break;
      case 3: editsA.push(edit('first edit on a'));
        editsB.push(attach(edit('edited on b with an attachment'), 'from-b.bin', `bytes from b for ${n}`)); break;
      default: editsA.push({ _id: i, _rev: rev, _deleted: true }); editsB.push({ _id: i, _rev: rev, _deleted: true, by: 'b' });
    }
  }
  const firstOnA = await writeAll(a, editsA);
  await writeAll(b, editsB);
  await writeAll(a, firstOnA.filter((r) => Number(r.id.slice(4)) % 50 === 3)
    .map((r) => ({ _id: r.id, _rev: r.rev, n: Number(r.id.slice(4)), text: 'second edit on a' })));
  const only = (side, ext) => Array.from({ length: 100 }, (_, i) => {
    const doc = { _id: `only-${side}-${String(i).padStart(3, '0')}`, i };
    return i % 10 === 0 ? attach(doc, `${side}.${ext}`, `new on ${side} ${i}`) : doc;
  });
  await writeAll(a, only('a', 'txt'));
  await writeAll(b, only('b', 'txt'));
}

function contentMd5(base64) {
  return `md5-${crypto.createHash('md5').update(Buffer.from(base64, 'base64')).digest('base64')}`;
}

function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}

/**
 * Leaves (body and _revisions, attachments by type and the MD5 of their bytes) and winners with
 * _conflicts, as the Java proofs read them. Attachments are not compared by digest: that names each
 * store's encoding (Arbor and CouchDB digest the gzip stream of text/*, PouchDB the plain bytes).
 */
async function trees(db) {
  const changes = await db.changes({ style: 'all_docs', batch_size: 5000 });
  const wanted = [];
  for (const row of changes.results) for (const c of row.changes) wanted.push({ id: row.id, rev: c.rev });
  const leaves = {};
  for (let i = 0; i < wanted.length; i += 500) {
    const got = await db.bulkGet({ docs: wanted.slice(i, i + 500), revs: true, attachments: true });
    for (const result of got.results) {
      for (const entry of result.docs) {
        assert.ok(entry.ok, `a leaf listed by _changes cannot be read: ${JSON.stringify(entry)}`);
        const doc = { ...entry.ok };
        if (doc._attachments) {
          doc._attachments = Object.fromEntries(Object.entries(doc._attachments)
            .map(([name, att]) => [name, `${att.content_type} ${contentMd5(att.data)}`]));
        }
        (leaves[result.id] ||= {})[doc._rev] = JSON.stringify(canonical(doc));
      }
    }
  }
  const winners = {};
  for (const row of (await db.allDocs({ include_docs: true, conflicts: true })).rows) {
    winners[row.id] = `${row.value.rev} conflicts=${JSON.stringify([...(row.doc._conflicts || [])].sort())}`;
  }
  return { leaves, winners };
}

function assertSameTrees(mine, theirs) {
  assert.deepEqual(Object.keys(mine.leaves).sort(), Object.keys(theirs.leaves).sort(), 'the same document ids');
  for (const docId of Object.keys(mine.leaves)) {
    assert.deepEqual(canonical(mine.leaves[docId]), canonical(theirs.leaves[docId]), `leaves and _revisions of ${docId}`);
  }
  assert.deepEqual(canonical(mine.winners), canonical(theirs.winners), 'winners and _conflicts');
}

run('pouchdb-replication-10k', [
  ['PouchDB replicator: 10,000 docs with conflicts on both sides converge, a second sync transfers nothing', async () => {
    const a = local('big');
    const b = remote('big');
    await seed(a, 0, N / 2);
    await seed(b, N / 2, N);
    const push = await PouchDB.replicate(a, b, { batch_size: 500 });
    assert.equal(push.docs_written, N / 2, 'first push: the local half');
    const pull = await PouchDB.replicate(b, a, { batch_size: 500 });
    assert.equal(pull.docs_written, N / 2, 'first pull: the server half');

    await diverge(a, b);
    const pushed = await PouchDB.replicate(a, b, { batch_size: 500 });
    const pulled = await PouchDB.replicate(b, a, { batch_size: 500 });
    assert.ok(pushed.docs_written > 500 && pulled.docs_written > 500, `both ways: ${pushed.docs_written} ${pulled.docs_written}`);
    assert.deepEqual(pushed.errors, []);
    assert.deepEqual(pulled.errors, []);

    const again = await a.sync(b, { batch_size: 500 });
    assert.equal(again.push.docs_written, 0, 'a second push transfers nothing');
    assert.equal(again.pull.docs_written, 0, 'a second pull transfers nothing');

    const mine = await trees(a);
    const theirs = await trees(b);
    assert.equal(Object.keys(mine.leaves).length, N + 200);
    assertSameTrees(mine, theirs);
    const conflicted = Object.values(mine.winners).filter((w) => !w.endsWith('conflicts=[]')).length;
    assert.ok(conflicted >= 300, `conflicts were made and kept: ${conflicted}`);
  }],
], { stepTimeoutMs: 150000 });
