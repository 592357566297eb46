// The peer of the throughput benchmark: @medplum/hl7's Hl7Server answering
// every message with buildAck() and storing nothing (it has no TLS).
// Usage: node --experimental-websocket medplum-hl7-server.cjs STATUS_FILE
// Listens on an ephemeral loopback port and writes "peer.port=N" to STATUS_FILE.
'use strict';
const fs = require('fs');
const path = require('path');
const { Hl7Server } = require(path.join(__dirname, '../peers/node_modules/@medplum/hl7'));

const statusFile = process.argv[2];
const server = new Hl7Server((connection) => {
  connection.addEventListener('message', ({ message }) => {
    connection.send(message.buildAck());
  });
});

server.start(0).then(() => {
  fs.writeFileSync(statusFile, `peer.port=${server.server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
