'use strict';
// Runs PouchDB's in-memory Mango matcher (pouchdb-selector-core, what pouchdb-find filters and sorts
// with) over the cases arbor-core's PouchSelectorCrossCheckTest generated, and writes what it found.
// Input (argv[2]): {"docs": [...], "cases": [{"selector": {...}, "sort": [...] | null}]}.
// Output (argv[3]): one entry per case, the _ids of the matching docs in PouchDB's sort order when the
// case has a sort (else in input order), or {"error": message}.

const fs = require('node:fs');
const { matchesSelector, createFieldSorter } = require('pouchdb-selector-core');

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = input.cases.map(({ selector, sort }) => {
  try {
    let rows = input.docs.filter((doc) => matchesSelector(doc, selector)).map((doc) => ({ doc }));
    if (sort) {
      rows = rows.sort(createFieldSorter(sort));
      // pouchdb-find's filterInMemoryFields reverses the ascending order for a descending sort.
      if (typeof sort[0] !== 'string' && Object.values(sort[0])[0] === 'desc') {
        rows = rows.reverse();
      }
    }
    return rows.map((row) => row.doc._id);
  } catch (e) {
    return { error: String(e && e.message || e) };
  }
});
fs.writeFileSync(process.argv[3], JSON.stringify(results));
