'use strict';
// @medplum/core: Hl7Message.parse, then getSegment / getAllSegments and
// Hl7Field.getComponent. Mapping of a path SEG[occ]-F(R).C.S:
//   segment       getSegment(SEG) (first), getAllSegments(SEG) for '*'
//   field         segment.getField(F) (MSH numbering handled by medplum)
//   repetition R  0-based repetition argument R-1 (checked against
//                 field.components.length first: getComponent throws past the end)
//   component C   field.getComponent(C, undefined, R-1)
//   subcomponent  field.getComponent(C, S-1, R-1) (0-based subcomponent index)
//   whole field   field.components[R-1] joined with the component separator
//                 (medplum has no call for one repetition's text)
// medplum does not decode escape sequences: values come back as stored.
const { main, peerRequire, peerVersion } = require('./harness.cjs');

const { Hl7Message } = peerRequire('@medplum/core');

function valueOf(segment, spec) {
  const field = segment.getField(spec.field);
  if (field === undefined || spec.repetition > field.components.length) return '';
  if (spec.component === 0) {
    return field.components[spec.repetition - 1].join(field.context.componentSeparator);
  }
  const sub = spec.subcomponent === 0 ? undefined : spec.subcomponent - 1;
  return field.getComponent(spec.component, sub, spec.repetition - 1);
}

function read(message, spec) {
  if (spec.all) return message.getAllSegments(spec.segment).map((s) => valueOf(s, spec));
  const segment =
    spec.occurrence === 1
      ? message.getSegment(spec.segment)
      : message.getAllSegments(spec.segment)[spec.occurrence - 1];
  return segment === undefined ? '' : valueOf(segment, spec);
}

main({
  parser: '@medplum/core',
  name: '@medplum/core',
  version: peerVersion('@medplum/core'),
  parse: (text) => Hl7Message.parse(text),
  read,
});
