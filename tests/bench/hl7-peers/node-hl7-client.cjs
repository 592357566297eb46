'use strict';
// node-hl7-client: new Message({ text }), then get() by "SEG.F" and the
// node tree below it. Mapping of a path SEG[occ]-F(R).C.S:
//   field F       message.get("SEG.F") (the documented form; the first SEG);
//                 for '*': message.get("SEG") is the list of SEG segments,
//                 iterated with forEach (after totalSegment(SEG) > 0), then
//                 segment.get("SEG.F") (segment.get(F) is off by one on MSH)
//   repetition R  field.get(R-1) (0-based; checked against field.length first:
//                 reading past the end throws)
//   component C   repetition.get(C-1).toString() (0-based; decodes escapes;
//                 the first subcomponent when the component holds several)
//   subcomponent  component.toArray()[S-1].toString(); for S = 1 on a
//                 component without subcomponents, component.toString()
//                 (toArray() throws there)
//   whole field   repetition.toRaw(): the library returns the first component
//                 from toString(), and one repetition's full text only raw
//                 (escape sequences not decoded)
const { main, peerRequire, peerVersion } = require('./harness.cjs');

const { Message } = peerRequire('node-hl7-client');

function componentText(component, spec) {
  if (spec.subcomponent <= 1 || component.length === 1) {
    return spec.subcomponent <= 1 ? component.toString() : '';
  }
  if (spec.subcomponent > component.length) return '';
  return component.toArray()[spec.subcomponent - 1].toString();
}

function valueOf(field, spec) {
  if (field.length < spec.repetition) return '';
  const repetition = field.get(spec.repetition - 1);
  if (spec.component === 0) return repetition.isEmpty() ? '' : repetition.toRaw();
  if (repetition.length < spec.component) return '';
  return componentText(repetition.get(spec.component - 1), spec);
}

function segmentsOf(message, name) {
  if (message.totalSegment(name) === 0) return [];
  const list = [];
  message.get(name).forEach((segment) => list.push(segment));
  return list;
}

function read(message, spec) {
  const fieldPath = `${spec.segment}.${spec.field}`;
  if (spec.occurrence === 1) return valueOf(message.get(fieldPath), spec);
  const segments = segmentsOf(message, spec.segment);
  if (spec.all) return segments.map((s) => valueOf(s.get(fieldPath), spec));
  const segment = segments[spec.occurrence - 1];
  return segment === undefined ? '' : valueOf(segment.get(fieldPath), spec);
}

main({
  parser: 'node-hl7-client',
  name: 'node-hl7-client',
  version: peerVersion('node-hl7-client'),
  parse: (text) => new Message({ text }),
  read,
});
