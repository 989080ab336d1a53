'use strict';
// W10, the HTTP workloads, as one client for every server (Arbor's server over HTTP and over HTTPS,
// pouchdb-server, the bare handler), run on the same machine against a server the harness started on 127.0.0.1:
//   node w10.js --url URL --system ID --data DIR --warmup-data DIR --work DIR --get-seconds S [--user U --password P]
// (a) the w10a docs PUT one by one, in sequence, on one keep-alive connection;
// (b) docs.jsonl POSTed to _bulk_docs in batches of 1,000, in sequence;
// (c) GETs of random ids (w3_ids.txt) on 32 connections for S seconds: autocannon, and wrk when installed;
// (d) pull replication of the N docs into a fresh in-memory PouchDB (PouchDB.replicate).
// The whole pass runs first on the warm-up data in databases of its own, which are then deleted.
// An https URL is spoken over TLS throughout; the harness makes Node trust the server's certificate
// (NODE_EXTRA_CA_CERTS), so this client's own requests verify it.
// Prints one line per figure: RESULT {"workload","metric","value","count","status","note"}.
const fs = require('fs');
const path = require('path');
const http = require('http');
const https = require('https');
const { execFileSync, spawnSync } = require('child_process');
const autocannon = require('autocannon');
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));

const BULK_SIZE = 1000;
const CONNECTIONS = 32;

const args = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) args[process.argv[i]] = process.argv[i + 1];
const base = new URL(args['--url']);
const authHeader = args['--user']
  ? 'Basic ' + Buffer.from(`${args['--user']}:${args['--password'] || ''}`).toString('base64') : undefined;
const getSeconds = Number(args['--get-seconds'] || 15);
const system = args['--system'];

const lines = (file) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
const now = () => process.hrtime.bigint();
const seconds = (t0) => Number(now() - t0) / 1e9;

function load(dir) {
  const docLines = lines(path.join(dir, 'docs.jsonl'));
  return {
    puts: lines(path.join(dir, 'w10a.jsonl')).map((l) => ({ id: JSON.parse(l)._id, body: l })),
    batches: Array.from({ length: Math.ceil(docLines.length / BULK_SIZE) },
      (_, i) => '{"docs":[' + docLines.slice(i * BULK_SIZE, (i + 1) * BULK_SIZE).join(',') + ']}'),
    docCount: docLines.length,
    ids: lines(path.join(dir, 'w3_ids.txt')),
  };
}

const transport = base.protocol === 'https:' ? https : http;
const agent = new transport.Agent({ keepAlive: true, maxSockets: 1 });

/** One request on the keep-alive connection; resolves {status, body}. */
function request(method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const headers = { Accept: 'application/json' };
    if (authHeader) headers.Authorization = authHeader;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = transport.request({ host: base.hostname, port: base.port, method, path: urlPath, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function createDb(name) {
  const r = await request('PUT', `/${name}`);
  if (r.status !== 201 && r.status !== 202) throw new Error(`PUT /${name} answered ${r.status}: ${r.body}`);
}

function percentileMs(nanos, p) {
  const sorted = [...nanos].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Number(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]) / 1e6;
}

async function sequentialPuts(db, puts) {
  await createDb(db);
  const latencies = [];
  let done = 0;
  const t0 = now();
  for (const { id, body } of puts) {
    const s = now();
    const r = await request('PUT', `/${db}/${encodeURIComponent(id)}`, body);
    latencies.push(now() - s);
    if (r.status !== 201 && r.status !== 202) throw new Error(`PUT /${db}/${id} answered ${r.status}: ${r.body}`);
    done++;
  }
  return { rate: done / seconds(t0), count: done, p99: percentileMs(latencies, 99) };
}

async function bulkDocs(db, batches) {
  await createDb(db);
  let written = 0;
  const t0 = now();
  for (const batch of batches) {
    const r = await request('POST', `/${db}/_bulk_docs`, batch);
    if (r.status !== 201) throw new Error(`POST /${db}/_bulk_docs answered ${r.status}: ${r.body.slice(0, 300)}`);
    written += JSON.parse(r.body).filter((row) => row.ok === true).length;
  }
  return { rate: written / seconds(t0), count: written };
}

async function randomGets(db, ids, duration) {
  let next = 0;
  const headers = authHeader ? { Authorization: authHeader } : {};
  const result = await autocannon({
    url: base.origin, connections: CONNECTIONS, duration, headers,
    requests: [{
      method: 'GET',
      setupRequest: (req) => ({ ...req, path: `/${db}/${encodeURIComponent(ids[next++ % ids.length])}` }),
    }],
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`autocannon: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { rate: result['2xx'] / (result.duration || duration), count: result['2xx'], p99: result.latency.p99 };
}

function wrkPath() {
  const found = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

function wrkGets(wrk, db, ids, duration, work) {
  const script = path.join(work, 'random-get.lua');
  const header = authHeader ? `wrk.headers["Authorization"] = ${JSON.stringify(authHeader)}\n` : '';
  fs.writeFileSync(script, `${header}local ids = {${ids.map((id) => JSON.stringify(`/${db}/${encodeURIComponent(id)}`)).join(',')}}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", ids[(n % #ids) + 1])
end
`);
  const out = execFileSync(wrk, ['-t2', `-c${CONNECTIONS}`, `-d${duration}s`, '-s', script, base.origin], { encoding: 'utf8' });
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const total = /(\d+) requests in/.exec(out);
  const bad = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const socketErrors = /Socket errors:.*/.exec(out);
  if (!rate || bad || socketErrors) throw new Error('wrk: ' + out.replace(/\s+/g, ' '));
  return { rate: Number(rate[1]), count: Number(total[1]) };
}

async function pull(db, expected) {
  const source = new PouchDB(`${base.origin}/${db}`, { auth: args['--user'] ? { username: args['--user'], password: args['--password'] || '' } : undefined, skip_setup: true });
  const target = new PouchDB(`pull-${process.pid}-${db}`, { adapter: 'memory' });
  const t0 = now();
  const result = await PouchDB.replicate(source, target);
  const elapsed = seconds(t0);
  const info = await target.info();
  await target.destroy();
  if (!result.ok || info.doc_count !== expected) {
    throw new Error(`replication ok=${result.ok}, ${info.doc_count} of ${expected} docs, errors ${JSON.stringify(result.errors).slice(0, 300)}`);
  }
  return { rate: result.docs_written / elapsed, count: result.docs_written };
}

async function pass(data, prefix, duration, work) {
  const out = [];
  const ok = (metric, value, count) => out.push({ workload: 'W10', metric, value, count, status: 'OK', note: null });
  const missing = (metrics, status, note) => metrics.forEach((metric) =>
    out.push({ workload: 'W10', metric, value: null, count: null, status, note }));
  const attempt = async (metrics, fn) => {
    try {
      await fn();
    } catch (e) {
      missing(metrics, 'FAILED', String(e && e.message || e).slice(0, 500));
    }
  };
  await attempt(['puts_per_s', 'put_p99_ms'], async () => {
    const r = await sequentialPuts(`${prefix}-puts`, data.puts);
    ok('puts_per_s', r.rate, r.count);
    ok('put_p99_ms', r.p99, null);
  });
  await attempt(['bulk_docs_per_s'], async () => {
    const r = await bulkDocs(prefix, data.batches);
    ok('bulk_docs_per_s', r.rate, r.count);
  });
  await attempt(['gets_per_s_c32', 'get_p99_ms_c32'], async () => {
    const r = await randomGets(prefix, data.ids, duration);
    ok('gets_per_s_c32', r.rate, r.count);
    ok('get_p99_ms_c32', r.p99, null);
  });
  const wrk = wrkPath();
  if (wrk) {
    await attempt(['gets_per_s_c32_wrk'], async () => {
      const r = wrkGets(wrk, prefix, data.ids, duration, work);
      ok('gets_per_s_c32_wrk', r.rate, r.count);
    });
  } else {
    missing(['gets_per_s_c32_wrk'], 'NOT_APPLICABLE', 'wrk is not installed (apt-get install wrk)');
  }
  if (system === 'http-bare') {
    missing(['pull_docs_per_s'], 'NOT_APPLICABLE', 'the bare handler serves bytes only: no _changes, no replication protocol');
  } else {
    await attempt(['pull_docs_per_s'], async () => {
      const r = await pull(prefix, data.docCount);
      ok('pull_docs_per_s', r.rate, r.count);
    });
  }
  return out;
}

async function main() {
  const work = args['--work'];
  fs.mkdirSync(work, { recursive: true });
  const warm = load(args['--warmup-data']);
  await pass(warm, 'warmup-w10', Math.min(2, getSeconds), work);
  for (const db of ['warmup-w10', 'warmup-w10-puts']) await request('DELETE', `/${db}`);
  const data = load(args['--data']);
  for (const r of await pass(data, 'w10', getSeconds, work)) {
    process.stdout.write('RESULT ' + JSON.stringify(r) + '\n');
  }
  agent.destroy();
}

main().then(() => process.exit(0), (e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
