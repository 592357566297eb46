// The FHIR create benchmark's load generator: POST [base]/ServiceRequest of
// one resource file, each request with its own identifier value (so every
// create is a distinct resource; no If-None-Exist), over N keep-alive mutual
// TLS connections (N undici Clients, one connection each, every one open
// before the clock starts; a connection that is lost and opened again is
// counted and reported).
//   closed loop: one request in flight per connection, the next sent when
//     the answer has arrived, for --seconds (or --creates);
//   open loop (--rate R): R requests/s on a fixed schedule, each sent on the
//     connection idle longest (all N carry the load, none idles into a keep-
//     alive timeout), or queued until one is free; latency counted from the
//     *scheduled* send time, so a server that falls behind is not flattered.
// Every answer must be 201 with a Location: anything else (another status, a
// lost connection, a timeout) is an error, counted by status, and makes the
// run WRONG (exit 2). A --resource that is a transaction Bundle is the
// transaction mode: POST [base], each request with its own Bundle.identifier
// and ServiceRequest identifier (so every transaction is a new one, not a
// repeat), and every answer must be 200 with every entry "201 Created"
// (counted in the "created" figures: transactions, not entries). Prints a summary and, with --json, one "RESULT {...}"
// line for the benchmark's results.jsonl.
//   node fhir-load.mjs --url https://localhost:PORT/fhir --cert C --key K --ca CA
//        --resource FILE [--connections 16] [--seconds 8] [--creates N]
//        [--rate R] [--label TEXT] [--json] [--trace FILE]
// --trace FILE writes one line per request: its (scheduled) send time in ms
// from the start, its latency in ms and its status (0: no answer).
import fs from 'node:fs';
import { Client } from 'undici';

const usage = 'usage: fhir-load.mjs --url BASE --cert C --key K --ca CA --resource FILE ' +
  '[--connections N] [--seconds S] [--creates N] [--rate R] [--label TEXT] [--json] [--trace FILE]';

function parseArguments(argv) {
  const options = { connections: 16, seconds: 8, creates: Infinity, rate: 0, label: '', json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'json') {
      options.json = true;
    } else if (['url', 'cert', 'key', 'ca', 'resource', 'label', 'trace'].includes(key) && i + 1 < argv.length) {
      options[key] = argv[++i];
    } else if (['connections', 'seconds', 'creates', 'rate'].includes(key) && i + 1 < argv.length) {
      options[key] = Number(argv[++i]);
      if (!Number.isFinite(options[key]) || options[key] < 0) throw new Error(`--${key}: not a number`);
    } else {
      throw new Error(`${argv[i]}: unknown option\n${usage}`);
    }
  }
  for (const required of ['url', 'cert', 'key', 'ca', 'resource']) {
    if (!options[required]) throw new Error(`--${required} is missing\n${usage}`);
  }
  return options;
}

/// The resource's text split around its first identifier value, so that the
/// body of request i is the parts joined by its own value (no JSON work per
/// request on the generator's side). A transaction Bundle varies its
/// Bundle.identifier and its ServiceRequest's first identifier alike.
function bodyMaker(file, tag) {
  const resource = JSON.parse(fs.readFileSync(file, 'utf8'));
  const marker = '\u0000BENCH-IDENTIFIER\u0000';
  const transaction = resource.resourceType === 'Bundle' && resource.type === 'transaction';
  const varied = transaction
    ? resource.entry?.find((entry) => entry.resource?.resourceType === 'ServiceRequest')?.resource
    : resource;
  if (!varied?.identifier?.[0]?.value) throw new Error(`${file}: no identifier[0].value to vary`);
  varied.identifier[0].value = marker;
  if (transaction) resource.identifier = { system: 'https://bench.rtw.test/tx', value: marker };
  // Each request its own claim number too (8 digits, as WorkSafeBC's): a
  // partner with deliveryOrder "claim" (westcoast-fhir) delivers a claim's
  // documents one after the other, and a clinic's day is many claims, not
  // one claim thousands of times.
  const claim = '"12345678"';
  const parts = JSON.stringify(resource)
    .split(JSON.stringify(marker))
    .map((part) => part.split(claim));
  const claimOf = (i) => `"${30000000 + ((i * 7919) % 60000000)}"`;
  return {
    type: resource.resourceType,
    transaction,
    body: (i) => parts.map((part) => part.join(claimOf(i))).join(`"BENCH-${tag}-${i}"`),
  };
}

/// A transaction-response whose every entry was created.
function allCreated(text) {
  try {
    const entries = JSON.parse(text).entry ?? [];
    return entries.length > 0 && entries.every((entry) => entry.response?.status?.startsWith('201'));
  } catch {
    return false;
  }
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

class Tally {
  constructor(tracing, transaction) {
    this.transaction = transaction;
    this.trace = tracing ? [] : null;
    this.start = 0;
    this.latencies = [];
    this.statuses = {};
    this.failures = {};
    this.noLocation = 0;
    this.lastAnswer = 0;
  }
  answered(status, location, body, latency) {
    this.trace?.push(`${(nowMs() - latency - this.start).toFixed(3)} ${latency.toFixed(3)} ${status}`);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status === this.expected()) {
      // no_location counts a 201 without Location, or a transaction-response
      // with an entry not created.
      if (this.transaction ? !allCreated(body) : !location) this.noLocation += 1;
      this.latencies.push(latency);
    }
    this.lastAnswer = nowMs();
  }
  expected() {
    return this.transaction ? 200 : 201;
  }
  failed(error) {
    this.trace?.push(`${(nowMs() - this.start).toFixed(3)} 0 0`);
    const code = error.code ?? error.name ?? 'error';
    this.failures[code] = (this.failures[code] ?? 0) + 1;
    this.lastAnswer = nowMs();
  }
}

async function post(client, path, body, tally, since) {
  try {
    const answer = await client.request({
      method: 'POST', path, body,
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
    });
    const text = await answer.body.text();
    tally.answered(answer.statusCode, answer.headers.location, text, nowMs() - since);
  } catch (error) {
    tally.failed(error);
  }
}

/// One request in flight per connection until the clock or the count runs out.
async function closedLoop(clients, options, path, make, tally) {
  let next = 0;
  const deadline = nowMs() + options.seconds * 1000;
  const connection = async (client) => {
    while (next < options.creates && nowMs() < deadline) {
      const i = next++;
      await post(client, path, make(i), tally, nowMs());
    }
  };
  await Promise.all(clients.map(connection));
  return next;
}

/// The connections of the open loop: the one idle longest first, requests
/// waiting in order when all are busy.
class IdleFirst {
  constructor(clients) {
    this.idle = clients.slice();
    this.waiting = [];
  }
  async send(path, body, tally, scheduled) {
    const client = this.idle.length ? this.idle.shift() : await new Promise((resolve) => this.waiting.push(resolve));
    await post(client, path, body, tally, scheduled);
    const next = this.waiting.shift();
    if (next) next(client);
    else this.idle.push(client);
  }
}

/// R requests/s on a fixed schedule; how late the generator itself sent
/// them is reported beside the latencies (it is part of them).
async function openLoop(clients, options, path, make, tally) {
  const total = Math.min(options.creates, Math.round(options.rate * options.seconds));
  const interval = 1000 / options.rate;
  const connections = new IdleFirst(clients);
  const start = nowMs();
  const inFlight = [];
  let next = 0;
  let worstLag = 0;
  while (next < total) {
    const now = nowMs();
    while (next < total && start + next * interval <= now) {
      const scheduled = start + next * interval;
      worstLag = Math.max(worstLag, now - scheduled);
      inFlight.push(connections.send(path, make(next), tally, scheduled));
      next += 1;
    }
    if (next < total) {
      // Timers fire on whole milliseconds: a send is up to ≈ 1 ms late (and
      // that counts in its latency) rather than the generator spinning on a
      // core the server needs.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + next * interval - nowMs())));
    }
  }
  await Promise.all(inFlight);
  return { sent: next, worstLag };
}

/// Opens every connection before the clock starts: one GET [base]/metadata
/// on each, all at once.
async function openConnections(clients, base) {
  const answers = await Promise.all(clients.map(async (client) => {
    const answer = await client.request({ method: 'GET', path: `${base}/metadata` });
    await answer.body.text();
    return answer.statusCode;
  }));
  if (answers.some((status) => status !== 200)) {
    throw new Error(`GET /metadata while opening the connections: ${answers.join(' ')}`);
  }
}

function summary(options, tally, sent, seconds, cpu, connects, worstLag) {
  const sorted = tally.latencies.slice().sort((a, b) => a - b);
  const created = tally.statuses[tally.expected()] ?? 0;
  const errors = sent - created + tally.noLocation;
  return {
    label: options.label,
    mode: options.rate ? 'open' : 'closed',
    transaction: tally.transaction,
    rate: options.rate,
    connections: options.connections,
    sent,
    created,
    statuses: tally.statuses,
    failures: tally.failures,
    no_location: tally.noLocation,
    errors,
    wrong: errors > 0,
    seconds: Number(seconds.toFixed(3)),
    creates_per_s: Number((created / seconds).toFixed(1)),
    p50_ms: Number(percentile(sorted, 50).toFixed(3)),
    p90_ms: Number(percentile(sorted, 90).toFixed(3)),
    p99_ms: Number(percentile(sorted, 99).toFixed(3)),
    max_ms: Number((sorted[sorted.length - 1] ?? 0).toFixed(3)),
    generator_cpu_percent: Number(((cpu.user + cpu.system) / 1e4 / seconds).toFixed(1)),
    generator_worst_lag_ms: worstLag === undefined ? undefined : Number(worstLag.toFixed(3)),
    connects,
  };
}

function printSummary(r) {
  const codes = Object.entries(r.statuses).map(([k, v]) => `${k}=${v}`).join(' ') || '-';
  const lost = Object.entries(r.failures).map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`${r.label || 'run'}: ${r.mode} loop${r.rate ? ` at ${r.rate}/s` : ''}, ${r.connections} connections: ` +
    `${r.created} of ${r.sent} ${r.transaction ? 'transactions' : 'created'} in ${r.seconds} s = ` +
    `${r.creates_per_s} ${r.transaction ? 'transactions' : 'creates'}/s; ` +
    `p50 ${r.p50_ms} p90 ${r.p90_ms} p99 ${r.p99_ms} max ${r.max_ms} ms; statuses ${codes}` +
    `${lost ? `; failed: ${lost}` : ''}${r.no_location ? `; ${r.no_location} ${r.transaction ? 'with an entry not created' : '201s without Location'}` : ''}; ` +
    `generator CPU ${r.generator_cpu_percent} %${r.mode === 'open' ? `, latest send ${r.generator_worst_lag_ms} ms after its time` : ''}` +
    `${r.connects !== r.connections ? `; ${r.connects} connects` : ''}${r.wrong ? ' — WRONG' : ''}`);
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const url = new URL(options.url);
  const base = url.pathname.replace(/\/$/, '');
  const make = bodyMaker(options.resource, `${process.pid.toString(36)}${Date.now().toString(36)}`);
  const tls = { cert: fs.readFileSync(options.cert), key: fs.readFileSync(options.key), ca: fs.readFileSync(options.ca) };
  let connects = 0;
  const clients = Array.from({ length: options.connections }, () => {
    // Kept open past undici's 4 s default: the server's idle timeout decides.
    const client = new Client(url.origin, {
      pipelining: 1, headersTimeout: 30000, bodyTimeout: 30000,
      keepAliveTimeout: 600000, keepAliveMaxTimeout: 600000, connect: tls,
    });
    client.on('connect', () => { connects += 1; });
    return client;
  });
  await openConnections(clients, base);

  const tally = new Tally(Boolean(options.trace), make.transaction);
  const path = make.transaction ? base : `${base}/${make.type}`;
  const cpuBefore = process.cpuUsage();
  const start = nowMs();
  tally.start = start;
  let sent;
  let worstLag;
  if (options.rate > 0) {
    ({ sent, worstLag } = await openLoop(clients, options, path, make.body, tally));
  } else {
    sent = await closedLoop(clients, options, path, make.body, tally);
  }
  const seconds = Math.max(tally.lastAnswer - start, 1) / 1000;
  const result = summary(options, tally, sent, seconds, process.cpuUsage(cpuBefore), connects, worstLag);
  await Promise.all(clients.map((client) => client.close()));
  printSummary(result);
  if (options.trace) fs.writeFileSync(options.trace, `${tally.trace.join('\n')}\n`);
  if (options.json) console.log(`RESULT ${JSON.stringify(result)}`);
  process.exitCode = result.wrong ? 2 : 0;
}

main().catch((error) => {
  console.error(`fhir-load: ${error.message}`);
  process.exitCode = 1;
});
