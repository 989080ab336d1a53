'use strict';
// PouchDB 9 (HTTP adapter) against the server: the everyday document API.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { run, couchdbStrict } = require('./lib/scenario');
const { remote, request, eventually, rejection } = require('./lib/pouch');

const md5Digest = (bytes) => 'md5-' + crypto.createHash('md5').update(bytes).digest('base64');

run('pouchdb-basic', [
  ['create a database and read its info', async () => {
    const db = remote('create');
    const info = await db.info();
    assert.equal(info.db_name, db.dbNameOnServer);
    assert.equal(info.doc_count, 0);
    if (couchdbStrict()) assert.equal(info.doc_del_count, 0);
  }],

  ['put, get, update, reject a stale rev, delete', async () => {
    const db = remote('put');
    const created = await db.put({ _id: 'apple', color: 'red', n: 1 });
    assert.equal(created.ok, true);
    assert.equal(created.id, 'apple');
    assert.match(created.rev, /^1-[0-9a-f]{32}$/);

    const read = await db.get('apple');
    assert.deepEqual(read, { _id: 'apple', _rev: created.rev, color: 'red', n: 1 });

    const updated = await db.put({ ...read, n: 2 });
    assert.match(updated.rev, /^2-/);
    assert.equal((await db.get('apple')).n, 2);

    const stale = await rejection(db.put({ ...read, n: 3 }));
    assert.equal(stale.status, 409);
    assert.equal(stale.name, 'conflict');

    const removed = await db.remove('apple', updated.rev);
    assert.match(removed.rev, /^3-/);
    const gone = await rejection(db.get('apple'));
    assert.equal(gone.status, 404);
    if (couchdbStrict()) assert.equal(gone.reason, 'deleted');
    const never = await rejection(db.get('pear'));
    assert.equal(never.status, 404);
    assert.equal(never.reason, 'missing');

    const old = await db.get('apple', { rev: created.rev });
    assert.equal(old.n, 1);
  }],

  ['post lets the server choose the id', async () => {
    const db = remote('post');
    const made = await db.post({ kind: 'anonymous' });
    assert.equal(made.ok, true);
    assert.ok(made.id.length > 0);
    assert.equal((await db.get(made.id)).kind, 'anonymous');
  }],

  ['bulkDocs writes many and reports conflicts per document', async () => {
    const db = remote('bulk');
    const first = await db.bulkDocs([{ _id: 'b1', v: 1 }, { _id: 'b2', v: 2 }, { _id: 'b3', v: 3 }]);
    assert.equal(first.length, 3);
    for (const r of first) {
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.match(r.rev, /^1-/);
    }
    const second = await db.bulkDocs([
      { _id: 'b1', _rev: first[0].rev, v: 10 },
      { _id: 'b2', v: 20 },
      { _id: 'b4', v: 4 },
    ]);
    assert.equal(second[0].ok, true);
    assert.match(second[0].rev, /^2-/);
    assert.equal(second[1].error, 'conflict');
    assert.equal(second[1].id, 'b2');
    assert.equal(second[2].ok, true);
    assert.equal((await db.get('b1')).v, 10);
    assert.equal((await db.get('b2')).v, 2);
    assert.equal((await db.info()).doc_count, 4);
  }],

  ['bulkDocs with new_edits false stores the given revisions', async () => {
    const db = remote('bulk-replicated');
    const rev = '3-' + 'a'.repeat(32);
    await db.bulkDocs([{ _id: 'r', _rev: rev, _revisions: { start: 3, ids: ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)] }, v: 'replicated' }], { new_edits: false });
    const read = await db.get('r', { revs: true });
    assert.equal(read._rev, rev);
    assert.deepEqual(read._revisions, { start: 3, ids: ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)] });
  }],

  ['allDocs lists in id order with ranges, keys, limits and docs', async () => {
    const db = remote('alldocs');
    const ids = ['d', 'a', 'c', 'e', 'b'];
    await db.bulkDocs(ids.map((id) => ({ _id: id, letter: id.toUpperCase() })));
    const all = await db.allDocs();
    assert.equal(all.total_rows, 5);
    assert.deepEqual(all.rows.map((r) => r.id), ['a', 'b', 'c', 'd', 'e']);
    assert.ok(all.rows.every((r) => r.key === r.id && /^1-/.test(r.value.rev)));

    const withDocs = await db.allDocs({ include_docs: true, startkey: 'b', endkey: 'd' });
    assert.deepEqual(withDocs.rows.map((r) => r.doc.letter), ['B', 'C', 'D']);

    const exclusive = await db.allDocs({ startkey: 'b', endkey: 'd', inclusive_end: false });
    assert.deepEqual(exclusive.rows.map((r) => r.id), ['b', 'c']);

    const desc = await db.allDocs({ descending: true, limit: 2 });
    assert.deepEqual(desc.rows.map((r) => r.id), ['e', 'd']);

    const skipped = await db.allDocs({ skip: 3 });
    assert.deepEqual(skipped.rows.map((r) => r.id), ['d', 'e']);

    const keyed = await db.allDocs({ keys: ['c', 'zz', 'a'] });
    assert.equal(keyed.rows.length, 3);
    assert.equal(keyed.rows[0].id, 'c');
    assert.equal(keyed.rows[1].key, 'zz');
    assert.equal(keyed.rows[1].error, 'not_found');
    assert.equal(keyed.rows[2].id, 'a');

    await db.remove(await db.get('c'));
    const afterDelete = await db.allDocs({ keys: ['c'] });
    assert.equal(afterDelete.rows[0].value.deleted, true);
    assert.equal((await db.allDocs()).total_rows, 4);
  }],

  ['changes one-shot: every doc once, since, limit, include_docs', async () => {
    const db = remote('changes');
    await db.bulkDocs([1, 2, 3, 4, 5].map((i) => ({ _id: `c${i}`, i })));
    const doc = await db.get('c2');
    await db.put({ ...doc, i: 22 });

    const all = await db.changes();
    assert.equal(all.results.length, 5);
    assert.deepEqual(all.results.map((r) => r.id).sort(), ['c1', 'c2', 'c3', 'c4', 'c5']);
    assert.equal(all.results[all.results.length - 1].id, 'c2', 'the updated doc moves to the end of the feed');
    assert.ok(all.results.every((r) => Array.isArray(r.changes) && r.changes.length === 1));

    const firstTwo = await db.changes({ limit: 2 });
    assert.equal(firstTwo.results.length, 2);
    const rest = await db.changes({ since: firstTwo.last_seq });
    assert.equal(rest.results.length, 3);

    const withDocs = await db.changes({ include_docs: true });
    const c2 = withDocs.results.find((r) => r.id === 'c2');
    assert.equal(c2.doc.i, 22);

    const nothingNew = await db.changes({ since: all.last_seq });
    assert.equal(nothingNew.results.length, 0);

    await db.remove(await db.get('c3'));
    const deleted = await db.changes({ since: all.last_seq });
    assert.equal(deleted.results.length, 1);
    assert.equal(deleted.results[0].id, 'c3');
    assert.equal(deleted.results[0].deleted, true);
  }],

  ['changes live: a write made while listening arrives', async () => {
    const db = remote('live');
    await db.put({ _id: 'before' });
    const seen = [];
    // From the sequence after 'before', not since 'now': the server resolves 'now' when the feed's request
    // arrives, which a busy machine may delay past the write below, and the feed would then miss it.
    const since = (await db.info()).update_seq;
    const feed = db.changes({ live: true, since, include_docs: true });
    feed.on('change', (c) => seen.push(c));
    let feedError;
    feed.on('error', (e) => { feedError = e; });
    try {
      await db.put({ _id: 'during', word: 'hello' });
      await eventually('the live feed delivers the doc written while it listens',
        () => { if (feedError) throw feedError; return seen.some((c) => c.id === 'during'); });
      const change = seen.find((c) => c.id === 'during');
      assert.equal(change.doc.word, 'hello');
      assert.ok(!seen.some((c) => c.id === 'before'), 'since skips earlier changes');

      await db.put({ _id: 'later' });
      await eventually('a second write arrives on the same live feed',
        () => seen.some((c) => c.id === 'later'));
    } finally {
      feed.cancel();
    }
  }],

  ['putAttachment and getAttachment round-trip binary bytes', async () => {
    const db = remote('att');
    const bytes = crypto.randomBytes(70000);
    const made = await db.putAttachment('holder', 'blob.bin', bytes, 'application/octet-stream');
    assert.equal(made.ok, true);
    const back = await db.getAttachment('holder', 'blob.bin');
    assert.ok(Buffer.isBuffer(back));
    assert.equal(Buffer.compare(back, bytes), 0, 'the attachment comes back byte for byte');

    const doc = await db.get('holder');
    const stub = doc._attachments['blob.bin'];
    assert.equal(stub.stub, true);
    assert.equal(stub.content_type, 'application/octet-stream');
    assert.equal(stub.length, bytes.length);
    assert.equal(stub.digest, md5Digest(bytes));

    const text = Buffer.from('second attachment, added to the existing doc');
    const added = await db.putAttachment('holder', 'note.txt', doc._rev, text, 'text/plain');
    assert.match(added.rev, /^2-/);
    assert.equal((await db.getAttachment('holder', 'note.txt')).toString(), text.toString());
    assert.equal(Buffer.compare(await db.getAttachment('holder', 'blob.bin'), bytes), 0);

    const removed = await db.removeAttachment('holder', 'blob.bin', added.rev);
    assert.match(removed.rev, /^3-/);
    const after = await db.get('holder');
    assert.deepEqual(Object.keys(after._attachments), ['note.txt']);
    const missing = await rejection(db.getAttachment('holder', 'blob.bin'));
    assert.equal(missing.status, 404);
  }],

  ['inline base64 attachments are stored and returned inline', async () => {
    const db = remote('inline');
    const text = 'Inline attachment text: \u00e9t\u00e9 \u2603';
    const data = Buffer.from(text, 'utf8').toString('base64');
    await db.put({ _id: 'inline', title: 'x', _attachments: { 'greeting.txt': { content_type: 'text/plain', data } } });

    const stubbed = await db.get('inline');
    assert.equal(stubbed._attachments['greeting.txt'].stub, true);
    assert.equal(stubbed._attachments['greeting.txt'].length, Buffer.byteLength(text));

    const inlined = await db.get('inline', { attachments: true });
    assert.equal(inlined._attachments['greeting.txt'].data, data);
    assert.equal(inlined._attachments['greeting.txt'].content_type, 'text/plain');

    const binary = await db.get('inline', { attachments: true, binary: true });
    assert.equal(binary._attachments['greeting.txt'].data.toString('utf8'), text);

    // Updating the doc with the stub keeps the attachment.
    await db.put({ ...stubbed, title: 'y' });
    assert.equal((await db.getAttachment('inline', 'greeting.txt')).toString('utf8'), text);

    const listed = await db.allDocs({ include_docs: true, attachments: true });
    assert.equal(listed.rows[0].doc._attachments['greeting.txt'].data, data);
  }],

  ['destroy removes the database', async () => {
    const db = remote('destroy');
    await db.put({ _id: 'x' });
    const result = await db.destroy();
    assert.equal(result.ok, true);
    const after = await request(`/${encodeURIComponent(db.dbNameOnServer)}`);
    assert.equal(after.status, 404);
    assert.equal((await after.json()).error, 'not_found');
  }],
]);
