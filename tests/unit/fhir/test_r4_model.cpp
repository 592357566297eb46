// The R4 definitions the XML reader and the writers work from
// (src/r4_elements.cpp, generated from the R4 JSON schema): R4 4.0.1's
// resources and elements, and nothing of what Medplum added to its copy.

#include <catch2/catch.hpp>

#include "r4_model.h"

using namespace rtw::fhir::detail;
using Kind = R4Element::Kind;
using Value = R4Element::Value;

namespace {

const R4Element& elementOf(const char* resource, std::initializer_list<const char*> path) {
  const R4Type* type = r4Model().resource(resource);
  REQUIRE(type != nullptr);
  const R4Element* element = nullptr;
  for (const char* name : path) {
    INFO(name);
    REQUIRE(type != nullptr);
    element = type->element(name);
    REQUIRE(element != nullptr);
    type = element->type;
  }
  return *element;
}

}  // namespace

TEST_CASE("the model has R4's 146 resource types, each element's type resolved") {
  std::size_t resources = 0;
  for (const R4Type& type : r4Model().types()) {
    resources += type.resource ? 1 : 0;
    for (const R4Element& element : type.elements) {
      INFO(type.name << "." << element.name);
      CHECK((element.kind == Kind::kComplex) == (element.type != nullptr));
      CHECK(type.element(element.name) == &element);
    }
  }
  CHECK(resources == 146);
  CHECK(r4Model().resource("HumanName") == nullptr);  // a datatype
  CHECK(r4Model().resource("Project") == nullptr);    // Medplum's own
}

TEST_CASE("repeats, kinds and XML attributes are R4's") {
  CHECK(elementOf("Patient", {"name"}).repeats);
  CHECK(elementOf("Patient", {"name"}).type->name == "HumanName");
  CHECK_FALSE(elementOf("Patient", {"gender"}).repeats);
  CHECK(elementOf("Patient", {"name", "given"}).repeats);
  CHECK(elementOf("Patient", {"active"}).value == Value::kBoolean);
  CHECK(elementOf("Patient", {"multipleBirthInteger"}).value == Value::kInteger);
  CHECK(elementOf("Claim", {"item", "sequence"}).value == Value::kInteger);  // positiveInt
  CHECK(elementOf("Claim", {"item", "net", "value"}).value == Value::kDecimal);
  CHECK(elementOf("Observation", {"valueQuantity"}).type->name == "Quantity");
  CHECK(elementOf("Observation", {"extension", "valueBoolean"}).value == Value::kBoolean);
  CHECK(elementOf("Observation", {"extension", "valueMeta"}).type->name == "Meta");  // 4.0.1
  CHECK(elementOf("Observation", {"extension", "url"}).attribute);
  CHECK(elementOf("Observation", {"code", "id"}).attribute);
  CHECK_FALSE(elementOf("Observation", {"id"}).attribute);  // a resource's id is an element
  CHECK(elementOf("Observation", {"text", "div"}).kind == Kind::kXhtml);
  CHECK(elementOf("Observation", {"contained"}).kind == Kind::kResource);
  CHECK(elementOf("Bundle", {"entry", "resource"}).kind == Kind::kResource);
  CHECK(elementOf("Bundle", {"entry", "response", "outcome"}).kind == Kind::kResource);
  CHECK(elementOf("Parameters", {"parameter", "resource"}).kind == Kind::kResource);
  CHECK(elementOf("Questionnaire", {"item", "item", "item", "linkId"}).kind == Kind::kPrimitive);
  // ExampleScenario.instance has an element named resourceType.
  CHECK(elementOf("ExampleScenario", {"instance", "resourceType"}).kind == Kind::kPrimitive);
  // The order of XML: Resource's elements, DomainResource's, then the resource's.
  const R4Type& patient = *r4Model().resource("Patient");
  CHECK(patient.elements.front().name == "id");
  CHECK(patient.element("text")->order < patient.element("extension")->order);
  CHECK(patient.element("name")->order < patient.element("gender")->order);
}

TEST_CASE("what Medplum added to its copy of the schema is not R4 and not in the model") {
  const R4Type* meta = elementOf("Patient", {"meta"}).type;
  CHECK(meta->element("versionId") != nullptr);
  CHECK(meta->element("project") == nullptr);
  CHECK(meta->element("compartment") == nullptr);
  CHECK(elementOf("Patient", {"managingOrganization"}).type->element("resource") == nullptr);
  CHECK(r4Model().resource("OperationOutcome")->element("status") == nullptr);
}

TEST_CASE("integers and decimals as FHIR JSON writes them") {
  for (const char* text : {"0", "7", "-12", "1234567890123"}) {
    CHECK(isJsonInteger(text));
    CHECK(isJsonDecimal(text));
  }
  for (const char* text : {"1.50", "-0.5", "6.3e-2", "1E10", "0.0"}) {
    CHECK_FALSE(isJsonInteger(text));
    CHECK(isJsonDecimal(text));
  }
  for (const char* text :
       {"", "-", "01", "+1", ".5", "1.", "1e", "1e+", " 1", "1 ", "0x1", "NaN", "1,5"}) {
    CHECK_FALSE(isJsonInteger(text));
    CHECK_FALSE(isJsonDecimal(text));
  }
}
