'use strict';
// simple-hl7: new Parser().parse(text) builds the whole tree eagerly. Its
// getField / getComponent helpers cannot address a repetition (getComponent
// only looks at the first and returns '' when the field repeats), so paths
// are read by walking the parse tree the library builds:
//   segment       message.header for MSH (whose fields[] start at MSH-3),
//                 getSegment(SEG), getSegments(SEG) for '*'
//   field F       segment.fields[F-1] (header.fields[F-3] for MSH)
//   repetition R  field.value holds Field objects when the field repeats,
//                 otherwise one component array
//   component C   components[C-1].toString(delimiters)
//   subcomponent  component.value[0][S-1] when it holds subcomponents
//   whole field   repetition.toString(delimiters)
// The library is only run, never linked into or copied into our code.
// simple-hl7 does not decode escape sequences: values come back as stored.
const { main, peerRequire, peerVersion } = require('./harness.cjs');

const hl7 = peerRequire('simple-hl7');

const parser = new hl7.Parser();

function fieldOf(segment, isHeader, number) {
  return isHeader ? segment.fields[number - 3] : segment.fields[number - 1];
}

function valueOf(segment, isHeader, spec, delimiters) {
  const field = fieldOf(segment, isHeader, spec.field);
  if (field === undefined) return '';
  const repeats = field.value.length > 0 && field.value[0] instanceof hl7.Field;
  const repetition = repeats ? field.value[spec.repetition - 1] : spec.repetition === 1 ? field : undefined;
  if (repetition === undefined) return '';
  if (spec.component === 0) return repetition.toString(delimiters);
  const component = repetition.value[0][spec.component - 1];
  if (component === undefined) return '';
  if (spec.subcomponent === 0) return component.toString(delimiters);
  const inner = component.value[0];
  if (Array.isArray(inner)) return inner[spec.subcomponent - 1] ?? '';
  return spec.subcomponent === 1 ? inner : '';
}

function read(message, spec) {
  const delimiters = message.header.delimiters;
  if (spec.segment === 'MSH') return valueOf(message.header, true, spec, delimiters);
  if (spec.all) return message.getSegments(spec.segment).map((s) => valueOf(s, false, spec, delimiters));
  const segment =
    spec.occurrence === 1
      ? message.getSegment(spec.segment)
      : message.getSegments(spec.segment)[spec.occurrence - 1];
  return segment === undefined ? '' : valueOf(segment, false, spec, delimiters);
}

main({
  parser: 'simple-hl7',
  name: 'simple-hl7',
  version: peerVersion('simple-hl7'),
  parse: (text) => parser.parse(text),
  read,
});
