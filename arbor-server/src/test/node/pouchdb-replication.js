'use strict';
// PouchDB 9 replication between a local in-memory PouchDB and the server: push, pull, sync (one-shot
// and live), checkpoints, and conflicting edits on both sides converging to the same winner.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { run, couchdbStrict } = require('./lib/scenario');
const { PouchDB, remote, local, request, eventually } = require('./lib/pouch');

/** Every doc of `db` with its winning rev, conflicts and body, as comparable plain data. */
async function snapshot(db) {
  const all = await db.allDocs({ include_docs: true, conflicts: true });
  return all.rows.map((r) => {
    const { _attachments, ...doc } = r.doc;
    if (doc._conflicts) doc._conflicts = [...doc._conflicts].sort();
    return doc;
  });
}

/** The rev CouchDB's rule makes win among leaves of one generation: the greatest rev string. */
const higher = (a, b) => (a > b ? a : b);

run('pouchdb-replication', [
  ['replicate local to server pushes docs and attachments', async () => {
    const source = local('push');
    const target = remote('push');
    const docs = Array.from({ length: 30 }, (_, i) => ({ _id: `doc-${String(i).padStart(3, '0')}`, i }));
    await source.bulkDocs(docs);
    const bytes = crypto.randomBytes(5000);
    await source.putAttachment('doc-000', 'blob', (await source.get('doc-000'))._rev, bytes, 'application/octet-stream');
    const edited = await source.get('doc-001');
    await source.put({ ...edited, i: 'edited' });

    const result = await PouchDB.replicate(source, target);
    assert.equal(result.ok, true);
    assert.equal(result.docs_written, 30);
    assert.deepEqual(result.errors, []);

    assert.deepEqual(await snapshot(target), await snapshot(source));
    assert.equal(Buffer.compare(await target.getAttachment('doc-000', 'blob'), bytes), 0);
    const history = await target.get('doc-001', { revs: true });
    assert.equal(history._revisions.start, 2);
    assert.equal(history._revisions.ids.length, 2, 'the server keeps the pushed revision history');

    const again = await PouchDB.replicate(source, target);
    assert.equal(again.docs_written, 0, 'a second push starts from the checkpoint and writes nothing');
  }],

  ['replicate server to local pulls docs, deletions and attachments', async () => {
    const source = remote('pull');
    const target = local('pull');
    await source.bulkDocs(Array.from({ length: 25 }, (_, i) => ({ _id: `p${i}`, i })));
    await source.remove(await source.get('p3'));
    const bytes = Buffer.from('pulled attachment');
    await source.putAttachment('p4', 'a.txt', (await source.get('p4'))._rev, bytes, 'text/plain');

    const result = await PouchDB.replicate(source, target);
    assert.equal(result.ok, true);
    assert.equal(result.docs_written, 25);
    assert.deepEqual(await snapshot(target), await snapshot(source));
    assert.equal((await target.info()).doc_count, 24);
    assert.equal((await target.getAttachment('p4', 'a.txt')).toString(), 'pulled attachment');

    await source.put({ _id: 'p-new' });
    const more = await PouchDB.replicate(source, target);
    assert.equal(more.docs_written, 1, 'the next pull resumes from its checkpoint');
  }],

  ['one-shot sync merges both sides', async () => {
    const mine = local('sync');
    const theirs = remote('sync');
    await mine.bulkDocs([{ _id: 'local-1' }, { _id: 'local-2' }]);
    await theirs.bulkDocs([{ _id: 'remote-1' }, { _id: 'remote-2' }, { _id: 'remote-3' }]);

    const result = await mine.sync(theirs);
    assert.equal(result.push.docs_written, 2);
    assert.equal(result.pull.docs_written, 3);
    const expected = ['local-1', 'local-2', 'remote-1', 'remote-2', 'remote-3'];
    assert.deepEqual((await mine.allDocs()).rows.map((r) => r.id), expected);
    assert.deepEqual((await theirs.allDocs()).rows.map((r) => r.id), expected);
  }],

  ['live sync carries writes both ways while running', async () => {
    const mine = local('live');
    const theirs = remote('live');
    const sync = mine.sync(theirs, { live: true, retry: false });
    let failure;
    sync.on('error', (e) => { failure = e; });
    const check = (what, predicate) => eventually(what, async () => {
      if (failure) throw failure;
      return predicate();
    }, 15000);
    try {
      await mine.put({ _id: 'from-local', side: 'local' });
      await check('the local write reaches the server',
        async () => (await theirs.allDocs({ keys: ['from-local'] })).rows[0].value !== undefined);
      await theirs.put({ _id: 'from-server', side: 'server' });
      await check('the server write reaches the local db',
        async () => (await mine.allDocs({ keys: ['from-server'] })).rows[0].value !== undefined);
      assert.equal((await mine.get('from-server')).side, 'server');
      assert.equal((await theirs.get('from-local')).side, 'local');
    } finally {
      sync.cancel();
    }
  }],

  ['conflicting edits on both sides converge to the same winner and conflicts', async () => {
    const mine = local('conflict');
    const theirs = remote('conflict');
    await mine.put({ _id: 'shared', v: 'original' });
    await mine.put({ _id: 'other', v: 'original' });
    await PouchDB.replicate(mine, theirs);

    // Both sides edit the same revision: two generation-2 leaves.
    const localEdit = await mine.put({ ...(await mine.get('shared')), v: 'local edit' });
    const remoteEdit = await theirs.put({ ...(await theirs.get('shared')), v: 'server edit' });
    assert.notEqual(localEdit.rev, remoteEdit.rev);
    // One side deletes a doc the other side edits: the live edit must win over the deletion.
    await mine.remove(await mine.get('other'));
    const survivor = await theirs.put({ ...(await theirs.get('other')), v: 'kept' });

    const result = await mine.sync(theirs);
    assert.equal(result.push.ok, true);
    assert.equal(result.pull.ok, true);

    const winner = higher(localEdit.rev, remoteEdit.rev);
    const loser = winner === localEdit.rev ? remoteEdit.rev : localEdit.rev;
    for (const [side, db] of [['local', mine], ['server', theirs]]) {
      const doc = await db.get('shared', { conflicts: true });
      assert.equal(doc._rev, winner, `${side}: the higher rev of the same generation wins`);
      assert.equal(doc.v, winner === localEdit.rev ? 'local edit' : 'server edit', side);
      assert.deepEqual(doc._conflicts, [loser], `${side}: the losing edit is kept as a conflict`);

      const other = await db.get('other', { conflicts: true });
      assert.equal(other._rev, survivor.rev, `${side}: a live leaf beats a deleted one`);
      assert.equal(other.v, 'kept');
      assert.equal(other._conflicts, undefined, `${side}: a deleted leaf is not a conflict`);
      const leaves = await db.get('other', { open_revs: 'all' });
      assert.deepEqual(leaves.map((l) => Boolean(l.ok._deleted)).sort(), [false, true], `${side}: both leaves are kept`);
    }
    if (couchdbStrict()) {
      // PouchDB (local and pouchdb-server) does not implement deleted_conflicts; CouchDB does. PouchDB's
      // HTTP adapter drops the option from get(), so the server is asked directly.
      const response = await request(`/${theirs.dbNameOnServer}/other?deleted_conflicts=true`);
      assert.equal(response.status, 200);
      const other = await response.json();
      assert.equal(other._rev, survivor.rev);
      assert.equal(other._deleted_conflicts.length, 1, 'server: the deletion is a deleted conflict');
    }
    assert.deepEqual(await snapshot(mine), await snapshot(theirs));

    // Resolving on the server (deleting the loser) also converges after the next sync.
    await theirs.remove('shared', loser);
    await mine.sync(theirs);
    for (const db of [mine, theirs]) {
      const doc = await db.get('shared', { conflicts: true });
      assert.equal(doc._rev, winner);
      assert.equal(doc._conflicts, undefined);
    }
  }],

  ['three-way: a second local replica converges through the server', async () => {
    const a = local('three-a');
    const b = local('three-b');
    const hub = remote('three');
    await a.put({ _id: 'doc', v: 0 });
    await PouchDB.replicate(a, hub);
    await PouchDB.replicate(hub, b);
    const editA = await a.put({ ...(await a.get('doc')), v: 'a' });
    const editA2 = await a.put({ ...(await a.get('doc')), v: 'a2' });
    const editB = await b.put({ ...(await b.get('doc')), v: 'b' });
    await a.sync(hub);
    await b.sync(hub);
    await a.sync(hub);
    // The longer branch (generation 3) wins whatever the hashes say.
    for (const db of [a, b, hub]) {
      const doc = await db.get('doc', { conflicts: true });
      assert.equal(doc._rev, editA2.rev);
      assert.deepEqual(doc._conflicts, [editB.rev]);
    }
    assert.match(editA.rev, /^2-/);
  }, { couchdbOnly: 'pouchdb-server 4.2 intermittently keeps the shorter branch as winner here '
      + '(seen in CI on 2026-11-21: hub at 2-… instead of 3-…; passed in earlier runs); Arbor must pass it every time' }],
], { stepTimeoutMs: 180000 });
