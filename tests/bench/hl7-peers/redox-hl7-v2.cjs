'use strict';
// @redoxengine/redox-hl7-v2: new Parser().parse(text) turns the message into
// JSON shaped by its HL7 schema (segment groups as nested keys, fields and
// components keyed "1", "2", ..., repeating fields as arrays). It rejects a
// message that lacks a segment its schema requires (counted as a failure).
// Mapping of a path SEG[occ]-F(R).C.S:
//   segment       the SEG keys of the JSON in document order, searched through
//                 the segment groups (the library has no lookup by name)
//   field F       segment["F"]; an array when the field repeats
//   repetition R  array[R-1] (a non-array value is repetition 1)
//   component C   value["C"] (a primitive value is component 1)
//   subcomponent  component["S"] (a primitive component is subcomponent 1)
//   whole field   the library gives no text for a composite value: the runner
//                 joins the components with ^ and subcomponents with &
//                 (trailing empty ones dropped, as ER7 writes them)
// Beware: parsing stops silently at the first segment its schema cannot place
// (e.g. a v2.8 ARV in an ADT^A01): the segments after it are simply absent.
const { main, peerRequire, peerVersion } = require('./harness.cjs');

const hl7 = peerRequire('@redoxengine/redox-hl7-v2');

const parser = new hl7.Parser();
const kSegmentId = /^[A-Z0-9]{3}$/;

function collect(node, name, out) {
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (key === name) {
      if (Array.isArray(value)) out.push(...value);
      else out.push(value);
    } else if (!kSegmentId.test(key) && value !== null && typeof value === 'object') {
      if (Array.isArray(value)) value.forEach((group) => collect(group, name, out));
      else collect(value, name, out);
    }
  }
  return out;
}

function joined(value, separators) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  const keys = Object.keys(value).map(Number);
  const parts = [];
  for (let i = 1; i <= Math.max(0, ...keys); i++) parts.push(joined(value[String(i)], separators.slice(1)));
  // The schema fills absent trailing components with "": ER7 leaves them out.
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.join(separators[0]);
}

function pick(value, index) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') return index === 1 ? value : undefined;
  return value[String(index)];
}

function valueOf(segment, spec) {
  const field = segment[String(spec.field)];
  const repetition = Array.isArray(field) ? field[spec.repetition - 1] : spec.repetition === 1 ? field : undefined;
  if (spec.component === 0) return joined(repetition, '^&');
  const component = pick(repetition, spec.component);
  if (spec.subcomponent === 0) return joined(component, '&');
  const sub = pick(component, spec.subcomponent);
  return sub === undefined || sub === null ? '' : String(sub);
}

function read(message, spec) {
  const segments = collect(message, spec.segment, []);
  if (spec.all) return segments.map((s) => valueOf(s, spec));
  const segment = segments[spec.occurrence - 1];
  return segment === undefined ? '' : valueOf(segment, spec);
}

main({
  parser: '@redoxengine/redox-hl7-v2',
  name: '@redoxengine/redox-hl7-v2',
  version: peerVersion('@redoxengine/redox-hl7-v2'),
  parse: (text) => parser.parse(text),
  read,
});
