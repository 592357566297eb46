'use strict';
// Shared driver for the Node.js peers of bench-hl7-parse. Each peer script
// gives a parse function and a read function (one path spec -> a string, or a
// list of strings for a path with '*'); this file does the rest exactly as the
// C++ benchmark does: read the normalised corpus and the 20 paths it wrote,
// parse + read every message once to count failures (those are skipped from
// then on), then a warm-up and N timed runs of whole passes, and print one
// JSON line with the median.
//
// usage: node <peer>.cjs --input DIR [--seconds S] [--runs N] [--iterations N] [--dump FILE]
//   DIR holds corpus.er7 and paths.txt (bench-hl7-parse --write-peer-input DIR)

const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const peersDir = process.env.RTW_BENCH_PEERS || path.resolve(__dirname, '..', 'peers');

/** require() that resolves in the scratch folder install.sh fills. */
const peerRequire = createRequire(path.join(peersDir, 'package.json'));

function peerVersion(name) {
  const manifest = path.join(peersDir, 'node_modules', name, 'package.json');
  return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
}

function parseArgs(argv) {
  const options = { input: null, seconds: 2, runs: 5, iterations: 0, dump: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value after ${flag}`);
    if (flag === '--input') options.input = value;
    else if (flag === '--seconds') options.seconds = Number(value);
    else if (flag === '--runs') options.runs = Number(value);
    else if (flag === '--iterations') options.iterations = Number(value);
    else if (flag === '--dump') options.dump = value;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!options.input) throw new Error('--input DIR is required');
  return options;
}

const kPathPattern = /^([A-Z0-9]{3})(?:\[(\*|\d+)\])?-(\d+)(?:\((\d+)\))?(?:\.(\d+)(?:\.(\d+))?)?$/;

/** "OBX[*]-5" -> {segment:'OBX', all:true, occurrence:0, field:5, repetition:1, component:0, subcomponent:0} */
function parsePath(text) {
  const m = kPathPattern.exec(text);
  if (!m) throw new Error(`path not understood: ${text}`);
  return {
    path: text,
    segment: m[1],
    all: m[2] === '*',
    occurrence: m[2] === undefined ? 1 : m[2] === '*' ? 0 : Number(m[2]),
    field: Number(m[3]),
    repetition: m[4] === undefined ? 1 : Number(m[4]),
    component: m[5] === undefined ? 0 : Number(m[5]),
    subcomponent: m[6] === undefined ? 0 : Number(m[6]),
  };
}

function loadInput(dir) {
  const messages = fs.readFileSync(path.join(dir, 'corpus.er7'), 'latin1').split('\n');
  const paths = fs
    .readFileSync(path.join(dir, 'paths.txt'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(parsePath);
  return { messages, paths };
}

function valueLength(value) {
  if (Array.isArray(value)) return value.reduce((sum, v) => sum + v.length, 0);
  return value.length;
}

function timeRun(texts, peer, specs, limits) {
  let sink = 0;
  let passes = 0;
  const start = process.hrtime.bigint();
  let seconds = 0;
  for (;;) {
    for (let i = 0; i < texts.length; i++) {
      const message = peer.parse(texts[i]);
      for (let p = 0; p < specs.length; p++) sink += valueLength(peer.read(message, specs[p]));
    }
    passes++;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (limits.passes > 0 ? passes >= limits.passes : seconds >= limits.seconds) break;
  }
  return { seconds, passes, sink };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * peer = { parser, version, parse(text) -> message, read(message, spec) -> string | string[] }
 * A message for which parse or a read throws counts as a failure and is not timed.
 */
function runPeer(peer) {
  const options = parseArgs(process.argv.slice(2));
  const { messages, paths } = loadInput(options.input);
  const timed = [];
  const dump = [];
  let checksum = 0;
  let failures = 0;
  const reasons = new Map();
  messages.forEach((text, index) => {
    try {
      const message = peer.parse(text);
      const values = paths.map((spec) => peer.read(message, spec));
      timed.push(text);
      values.forEach((value, p) => {
        checksum += valueLength(value);
        dump.push({ message: index, path: paths[p].path, values: Array.isArray(value) ? value : [value] });
      });
    } catch (error) {
      failures++;
      const reason = String(error && error.message).slice(0, 100);
      reasons.set(reason, (reasons.get(reason) || 0) + 1);
    }
  });
  for (const [reason, count] of reasons) {
    process.stderr.write(`${peer.parser}: ${count} message(s) failed: ${reason}\n`);
  }
  if (options.dump) {
    fs.writeFileSync(options.dump, dump.map((entry) => JSON.stringify(entry) + '\n').join(''));
  }
  const passBytes = timed.reduce((sum, text) => sum + text.length, 0);
  const limits = { seconds: options.seconds, passes: options.iterations };
  const warmup = options.iterations > 0 ? { passes: 1 } : { seconds: Math.min(0.5, options.seconds), passes: 0 };
  let sink = 0;
  let passes = 0;
  const warm = timeRun(timed, peer, paths, warmup);
  sink += warm.sink;
  passes += warm.passes;
  const runs = [];
  for (let r = 0; r < options.runs; r++) {
    const run = timeRun(timed, peer, paths, limits);
    sink += run.sink;
    passes += run.passes;
    runs.push(run);
  }
  if (sink !== checksum * passes) {
    throw new Error(`${peer.parser}: checksum mismatch (${sink} != ${checksum} x ${passes})`);
  }
  const mbs = runs.map((run) => (run.passes * passBytes) / run.seconds / 1e6);
  const line = {
    bench: 'hl7-parse',
    parser: peer.parser,
    work: 'parse + 20 reads',
    runtime: `node ${process.version}, ${peer.name}@${peer.version}`,
    cpus: require('node:os').availableParallelism ? require('node:os').availableParallelism() : 0,
    messages: messages.length,
    failures,
    timed_messages: timed.length,
    bytes_per_pass: passBytes,
    runs: runs.length,
    seconds: Number(runs.reduce((sum, run) => sum + run.seconds, 0).toFixed(3)),
    msgs_per_s: Number(median(runs.map((run) => (run.passes * timed.length) / run.seconds)).toFixed(1)),
    mb_per_s: Number(median(mbs).toFixed(3)),
    mb_per_s_min: Number(Math.min(...mbs).toFixed(3)),
    mb_per_s_max: Number(Math.max(...mbs).toFixed(3)),
    checksum,
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}

function main(peer) {
  try {
    runPeer(peer);
  } catch (error) {
    process.stderr.write(`${peer.parser}: ${error.stack || error}\n`);
    process.exit(1);
  }
}

module.exports = { peerRequire, peerVersion, main };
