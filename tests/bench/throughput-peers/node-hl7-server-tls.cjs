// node-hl7-server 2.5.0 with TLS, answering sendResponse('AA') to every
// message and storing nothing. Run only to show that the load generator's
// ACK check catches a server that answers the n-th message on a connection
// with n ACK frames (NOTES.md): its row must come out WRONG, not fast.
// Usage: node node-hl7-server-tls.cjs STATUS_FILE PORT KEY_PEM CERT_PEM
'use strict';
const fs = require('fs');
const path = require('path');
const { Server } = require(path.join(__dirname, '../peers/node_modules/node-hl7-server'));

const [statusFile, port, keyFile, certFile] = process.argv.slice(2);
const server = new Server({
  bindAddress: '127.0.0.1',
  tls: { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), rejectUnauthorized: false },
});
const inbound = server.createInbound({ port: Number(port) }, async (req, res) => {
  await res.sendResponse('AA');
});
inbound.on('listen', () => fs.writeFileSync(statusFile, `peer.port=${port}\n`));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
