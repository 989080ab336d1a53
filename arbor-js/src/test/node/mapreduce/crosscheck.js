'use strict';
// Runs PouchDB's map/reduce (temporary views over an in-memory database) for arbor-js's
// PouchMapReduceCrossCheckTest and writes what it found.
// Input (argv[2]): {"docs": [...], "views": [{"map": "function(doc) {...}", "reduce": "_sum" | "function..." | null}]}.
// Output (argv[3]): one entry per view: {"rows": [[key, id, value], ...]} in PouchDB's order, and for views
// with a reduce also "grouped": [[key, value], ...] (group=true) and "total" (the reduce of all rows);
// or {"error": message}. A view may list "queries" (PouchDB query options); each answer is added to
// "queries" as {"rows": [[key, id or null, value], ...]} or {"error": message}.

const fs = require('node:fs');
const PouchDB = require('pouchdb').plugin(require('pouchdb-adapter-memory'));

async function main() {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const db = new PouchDB('crosscheck', { adapter: 'memory' });
  await db.bulkDocs(input.docs);
  const results = [];
  for (const view of input.views) {
    try {
      const fun = view.reduce ? { map: view.map, reduce: view.reduce } : { map: view.map };
      const mapped = await db.query(fun, { reduce: false });
      const result = { rows: mapped.rows.map((row) => [row.key, row.id, row.value === undefined ? null : row.value]) };
      if (view.reduce) {
        const grouped = await db.query(fun, { group: true });
        result.grouped = grouped.rows.map((row) => [row.key, row.value]);
        const total = await db.query(fun, {});
        result.total = total.rows.length ? total.rows[0].value : null;
      }
      result.queries = [];
      for (const options of view.queries || []) {
        try {
          const answer = await db.query(fun, options);
          result.queries.push({ rows: answer.rows.map((row) => [row.key, row.id === undefined ? null : row.id,
            row.value === undefined ? null : row.value]) });
        } catch (e) {
          result.queries.push({ error: String(e && e.message || e) });
        }
      }
      results.push(result);
    } catch (e) {
      results.push({ error: String(e && e.message || e) });
    }
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(results));
}

main().catch((e) => { console.error(e); process.exit(1); });
