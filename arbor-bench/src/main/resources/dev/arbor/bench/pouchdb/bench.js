'use strict';
// The PouchDB anchor of the Arbor benchmark: the same pass as dev.arbor.bench.run.WorkloadPass,
// with the leveldb adapter, in one fresh Node process and fresh directory.
//   node bench.js --data DIR --warmup-data DIR --work DIR --workloads W1,W2,...
// Prints one line per figure: RESULT {"workload","metric","value","count","status","note"}.
// Files are read and parsed before each clock starts; each PouchDB call is inside it.
const fs = require('fs');
const path = require('path');
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-find'));

const BULK_SIZE = 1000;
const CONCURRENT_WRITERS = 16;

const args = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) args[process.argv[i]] = process.argv[i + 1];
const selected = new Set(args['--workloads'].split(',').map((w) => w.trim().toUpperCase()));

const METRICS = {
  W1: ['docs_per_s'],
  W2seq: ['writes_per_s', 'p50_ms', 'p99_ms'],
  W2c16: ['writes_per_s_c16', 'p50_ms_c16', 'p99_ms_c16'],
  W3: ['reads_per_s'],
  W4: ['updates_per_s'],
  W5: ['seconds'],
  W6: ['seconds'],
  W7: ['index_build_s', 'all_p50_ms', 'all_p99_ms', 'limit25_p50_ms', 'limit25_p99_ms'],
  W8: ['build_docs_per_s', 'count_p50_ms', 'count_p99_ms', 'sum_p50_ms', 'sum_p99_ms'],
  W8java: ['java_build_docs_per_s', 'java_count_p50_ms', 'java_count_p99_ms', 'java_sum_p50_ms', 'java_sum_p99_ms'],
  W9: ['docs_per_s', 'noop_ms', 'http_docs_per_s'],
};
const W8_RUNS = 20;
// The design document ArborStore.CITY_AGE_DESIGN puts: one map in two views, reduced by _count and by _sum.
const W8_MAP = 'function (doc) { emit([doc.city, doc.age], 1); }';
const W8_DESIGN = { _id: '_design/w8', views: { count: { map: W8_MAP, reduce: '_count' }, sum: { map: W8_MAP, reduce: '_sum' } } };
const W7_RUNS = 20;
const W7_PAGE = 25;
const W7_SELECTOR = { age: { $gte: 30, $lt: 40 }, type: 'user' };
// The W7 selector on the data set itself, as WorkloadPass.usersInTheirThirties counts it.
const usersInTheirThirties = (docs) =>
  docs.filter((d) => typeof d.age === 'number' && d.age >= 30 && d.age < 40 && d.type === 'user').length;

/** pouchdb-server on a free loopback port with its data in `dataDir`, started as a child process; resolves once it answers. */
async function startPouchDbServer(dataDir) {
  const { spawn } = require('child_process');
  const net = require('net');
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => { const p = probe.address().port; probe.close(() => resolve(p)); });
  });
  const child = spawn(process.execPath, [require.resolve('pouchdb-server/bin/pouchdb-server'),
    '--host', '127.0.0.1', '--port', String(port), '--dir', dataDir, '--no-stdout-logs'],
  { cwd: dataDir, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch (notYet) { /* not listening yet */ }
    if (Date.now() > deadline || child.exitCode !== null) { child.kill('SIGKILL'); throw new Error('pouchdb-server did not start'); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => child.kill('SIGKILL') };
}

function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
}

function load(dir) {
  const w2 = lines(path.join(dir, 'w2.jsonl'));
  return {
    docs: lines(path.join(dir, 'docs.jsonl')).map((l) => JSON.parse(l)),
    w2: w2.map((l) => JSON.parse(l)),
    // The concurrent pass writes the W2 bodies again as new docs w2c-*, as WorkloadData.w2ConcurrentDocs does.
    w2c: w2.map((l) => JSON.parse(l.replace(/^\{"_id":"w2-/, '{"_id":"w2c-'))),
    w3: lines(path.join(dir, 'w3_ids.txt')),
    w4: lines(path.join(dir, 'w4_ids.txt')),
  };
}

const now = () => process.hrtime.bigint();
const seconds = (t0) => Number(now() - t0) / 1e9;

function percentileMs(nanos, p) {
  const sorted = [...nanos].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = Math.ceil((p / 100) * sorted.length);
  return Number(sorted[Math.max(0, rank - 1)]) / 1e6;
}

async function pass(data, dir) {
  const out = [];
  const ok = (workload, metric, value, count) => out.push({ workload, metric, value, count, status: 'OK', note: null });
  const failed = (workload, group, err) => METRICS[group].forEach((metric) =>
    out.push({ workload, metric, value: null, count: null, status: 'FAILED', note: workload + ' failed: ' + (err && err.stack || err) }));
  fs.mkdirSync(dir, { recursive: true });
  const db = new PouchDB(path.join(dir, 'db'));
  try {
    let t0 = now();
    let accepted = 0;
    try {
      for (let i = 0; i < data.docs.length; i += BULK_SIZE) {
        const res = await db.bulkDocs(data.docs.slice(i, i + BULK_SIZE));
        accepted += res.filter((r) => r.ok).length;
      }
    } catch (e) {
      failed('W1', 'W1', e);
      for (const w of ['W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9']) if (selected.has(w)) failed(w, w === 'W2' ? 'W2seq' : w, 'needs W1 data loaded');
      return out;
    }
    if (selected.has('W1')) ok('W1', 'docs_per_s', accepted / seconds(t0), accepted);

    if (selected.has('W2')) {
      try {
        const lat = new Array(data.w2.length);
        t0 = now();
        for (let i = 0; i < data.w2.length; i++) {
          const s = now();
          await db.put(data.w2[i]);
          lat[i] = now() - s;
        }
        const secs = seconds(t0);
        ok('W2', 'writes_per_s', data.w2.length / secs, data.w2.length);
        ok('W2', 'p50_ms', percentileMs(lat, 50), null);
        ok('W2', 'p99_ms', percentileMs(lat, 99), null);
      } catch (e) { failed('W2', 'W2seq', e); }
    }
    if (selected.has('W3')) {
      try {
        let found = 0;
        t0 = now();
        for (const id of data.w3) {
          const doc = await db.get(id);
          if (doc) found++;
        }
        ok('W3', 'reads_per_s', data.w3.length / seconds(t0), found);
      } catch (e) { failed('W3', 'W3', e); }
    }
    if (selected.has('W4')) {
      try {
        t0 = now();
        for (let i = 0; i < data.w4.length; i++) {
          const doc = await db.get(data.w4[i]);
          doc.score += 1;
          doc.updated = i;
          await db.put(doc);
        }
        ok('W4', 'updates_per_s', data.w4.length / seconds(t0), data.w4.length);
      } catch (e) { failed('W4', 'W4', e); }
    }
    if (selected.has('W5')) {
      try {
        t0 = now();
        const res = await db.allDocs({ include_docs: true });
        const secs = seconds(t0);
        ok('W5', 'seconds', secs, res.rows.filter((r) => r.doc).length);
      } catch (e) { failed('W5', 'W5', e); }
    }
    if (selected.has('W6')) {
      try {
        t0 = now();
        const res = await db.changes({ since: 0 });
        const secs = seconds(t0);
        ok('W6', 'seconds', secs, res.results.length);
      } catch (e) { failed('W6', 'W6', e); }
    }
    if (selected.has('W7')) {
      // pouchdb-find: a json index on age, built by the first query that uses it, as in Arbor.
      try {
        const expected = usersInTheirThirties(data.docs) + (selected.has('W2') ? usersInTheirThirties(data.w2) : 0);
        const check = (what, found, want) => {
          if (found !== want) throw new Error('W7 ' + what + ' returned ' + found + ' docs, the data holds ' + want);
        };
        // pouchdb-find answers 25 docs without a limit, as CouchDB does: "all" asks for more than the database holds.
        const everyDoc = data.docs.length + data.w2.length + data.w2c.length;
        t0 = now();
        await db.createIndex({ index: { fields: ['age'] }, ddoc: 'w7', name: 'age' });
        await db.find({ selector: W7_SELECTOR, limit: 1 });
        const build = seconds(t0);
        const all = [];
        const page = [];
        for (let run = 0; run < W7_RUNS; run++) {
          let s = now();
          let res = await db.find({ selector: W7_SELECTOR, limit: everyDoc });
          all.push(now() - s);
          check('all results', res.docs.length, expected);
          s = now();
          res = await db.find({ selector: W7_SELECTOR, limit: W7_PAGE });
          page.push(now() - s);
          check('limit 25', res.docs.length, Math.min(W7_PAGE, expected));
        }
        ok('W7', 'index_build_s', build, null);
        ok('W7', 'all_p50_ms', percentileMs(all, 50), expected);
        ok('W7', 'all_p99_ms', percentileMs(all, 99), null);
        ok('W7', 'limit25_p50_ms', percentileMs(page, 50), Math.min(W7_PAGE, expected));
        ok('W7', 'limit25_p99_ms', percentileMs(page, 99), null);
      } catch (e) { failed('W7', 'W7', e); }
    }
    if (selected.has('W8')) {
      // pouchdb's mapreduce on a stored design document: each view builds on its first query, as in Arbor.
      try {
        const loaded = data.docs.concat(selected.has('W2') ? data.w2 : []);
        const expected = { groups: new Set(loaded.map((d) => d.city)).size, total: loaded.length };
        const byCity = async (view) => {
          const res = await db.query('w8/' + view, { group_level: 1 });
          return { groups: res.rows.length, total: res.rows.reduce((n, r) => n + r.value, 0) };
        };
        const check = (what, found) => {
          if (found.groups !== expected.groups || found.total !== expected.total) {
            throw new Error('W8 ' + what + ' returned ' + JSON.stringify(found) + ', the data holds ' + JSON.stringify(expected));
          }
        };
        t0 = now();
        await db.put(W8_DESIGN);
        const firstCount = await byCity('count');
        const firstSum = await byCity('sum');
        const build = seconds(t0);
        check('first _count', firstCount);
        check('first _sum', firstSum);
        const count = [];
        const sum = [];
        for (let run = 0; run < W8_RUNS; run++) {
          let s = now();
          const counted = await byCity('count');
          count.push(now() - s);
          check('_count', counted);
          s = now();
          const summed = await byCity('sum');
          sum.push(now() - s);
          check('_sum', summed);
        }
        ok('W8', 'build_docs_per_s', loaded.length / build, loaded.length);
        ok('W8', 'count_p50_ms', percentileMs(count, 50), expected.groups);
        ok('W8', 'count_p99_ms', percentileMs(count, 99), null);
        ok('W8', 'sum_p50_ms', percentileMs(sum, 50), expected.groups);
        ok('W8', 'sum_p99_ms', percentileMs(sum, 99), null);
      } catch (e) { failed('W8', 'W8', e); }
      METRICS.W8java.forEach((metric) => out.push({ workload: 'W8', metric, value: null, count: null,
        status: 'NOT_APPLICABLE', note: 'PouchDB views are JavaScript only' }));
    }
    if (selected.has('W9')) {
      // PouchDB's own replicator, leveldb to leveldb, default options; then again with nothing to do.
      const replica = new PouchDB(path.join(dir, 'replica'));
      try {
        t0 = now();
        const res = await PouchDB.replicate(db, replica);
        const secs = seconds(t0);
        const again = now();
        const res2 = await PouchDB.replicate(db, replica);
        const noopMs = Number(now() - again) / 1e6;
        if (res2.docs_written !== 0) throw new Error('the second replication wrote ' + res2.docs_written + ' docs');
        ok('W9', 'docs_per_s', res.docs_written / secs, res.docs_written);
        ok('W9', 'noop_ms', noopMs, null);
        // Over HTTP: the same local leveldb database to a fresh pouchdb-server (its own Node process).
        const server = await startPouchDbServer(path.join(dir, 'pouchdb-server'));
        try {
          t0 = now();
          const overHttp = await PouchDB.replicate(db, `${server.url}/w9`);
          ok('W9', 'http_docs_per_s', overHttp.docs_written / seconds(t0), overHttp.docs_written);
        } finally {
          server.stop();
        }
      } catch (e) { failed('W9', 'W9', e); } finally { await replica.close(); }
    }
    if (selected.has('W2')) {
      try {
        const lat = new Array(data.w2c.length);
        let next = 0;
        let written = 0;
        t0 = now();
        const writer = async () => {
          for (let i; (i = next++) < data.w2c.length;) {
            const s = now();
            await db.put(data.w2c[i]);
            lat[i] = now() - s;
            written++;
          }
        };
        await Promise.all(Array.from({ length: CONCURRENT_WRITERS }, writer));
        const secs = seconds(t0);
        ok('W2', 'writes_per_s_c16', written / secs, written);
        ok('W2', 'p50_ms_c16', percentileMs(lat, 50), null);
        ok('W2', 'p99_ms_c16', percentileMs(lat, 99), null);
      } catch (e) { failed('W2', 'W2c16', e); }
    }
    return out;
  } finally {
    await db.close();
  }
}

(async () => {
  // Warm-up, as the JVM systems do: the whole pass on the small set in its own directory, deleted after.
  const warmDir = path.join(args['--work'], 'warmup');
  process.stderr.write('[pouchdb-leveldb] warm-up pass\n');
  await pass(load(args['--warmup-data']), warmDir);
  fs.rmSync(warmDir, { recursive: true, force: true });
  if (global.gc) global.gc();
  const data = load(args['--data']);
  process.stderr.write('[pouchdb-leveldb] timed pass on N=' + data.docs.length + '\n');
  const results = await pass(data, path.join(args['--work'], 'timed'));
  for (const r of results) process.stdout.write('RESULT ' + JSON.stringify(r) + '\n');
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
