'use strict';
// Rewrites package-lock.json without the `resolved` URLs (they name a registry host, which the
// project keeps out of its files). `integrity` stays, so `npm ci` still verifies every tarball, and
// npm fetches them from whatever registry the machine is configured with.
// Regenerate the lock with:  npm install --package-lock-only && node strip-lock.js

const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
let stripped = 0;
for (const entry of Object.values(lock.packages || {})) {
  if ('resolved' in entry) {
    delete entry.resolved;
    stripped++;
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: ${stripped} resolved fields removed`);
