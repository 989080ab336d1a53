'use strict';
// PouchDB 9 (HTTP adapter) over HTTPS: the server's self-signed certificate is trusted the way Node trusts a
// private authority, through NODE_EXTRA_CA_CERTS; without it the handshake must fail.

const assert = require('node:assert/strict');
const PouchDB = require('pouchdb');

(async () => {
  const db = new PouchDB(`${process.env.PEER_SERVER_URL}/tls-pouch`);
  const made = await db.put({ _id: 'a', n: 1 });
  assert.equal(made.ok, true);
  assert.equal((await db.get('a')).n, 1);
  console.log('ok');
})().catch((error) => {
  console.error(`failed: ${error && (error.code || error.name)} ${error && error.message}`);
  process.exit(1);
});
