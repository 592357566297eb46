// Loading the XSDs: the model read from the real Referral schema, and every
// way a schema directory can be wrong failing with the file's name.

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "referral_fixture.h"
#include "stderr_capture.h"

using namespace rtw::worksafe;
using rtw::worksafe::test::schemaDir;
using rtw::worksafe::test::schemas;
using rtw::worksafe::test::StderrCapture;
using rtw::worksafe::test::TempDir;

namespace {

const SchemaModel::Element& child(const SchemaModel::Element& parent, const std::string& name) {
  for (const auto& element : parent.children) {
    if (element.name == name) {
      return element;
    }
  }
  FAIL("no element " << name << " under " << parent.name);
  throw std::logic_error("unreachable");
}

std::vector<std::string> names(const SchemaModel::Element& element) {
  std::vector<std::string> result;
  for (const auto& item : element.children) {
    result.push_back(item.name);
  }
  return result;
}

std::string readSchema(const std::string& name) {
  std::ifstream in(schemaDir() / name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The real referral XSD with one piece of text replaced.
std::string editedReferral(const std::string& from, const std::string& to) {
  std::string text = readSchema("referral-v1.xsd");
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string loadError(const TempDir& dir) {
  try {
    SchemaSet::load(dir.path());
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  FAIL("load() accepted the schema directory");
  return {};
}

}  // namespace

TEST_CASE("the Referral model comes from the XSD, includes resolved", "[schema]") {
  const auto model = schemas()->model(DocumentType::kReferral);
  REQUIRE(model);
  CHECK(model->type == DocumentType::kReferral);
  CHECK(model->namespace_uri == "urn:rtw:worksafe:referral:v1");
  CHECK(model->root_name == "Referral");
  CHECK(model->root.name == "Referral");
  CHECK(names(model->root) ==
        std::vector<std::string>{"header", "referralId", "referralDate", "status", "statusReason",
                                 "worker", "dateOfInjury", "injury", "employer", "requester",
                                 "provider", "authorization", "service", "appointment", "notes"});
  // HeaderType lives in common-v1.xsd.
  CHECK(names(child(model->root, "header")) ==
        std::vector<std::string>{"documentId", "board", "program", "claimNumber", "sourcePartner",
                                 "sourceMessageId", "createdAt"});
  const auto& injury = child(model->root, "injury");
  CHECK(injury.min_occurs == 1);
  CHECK(injury.max_occurs == -1);
  CHECK(child(model->root, "statusReason").min_occurs == 0);
  const auto& line = child(child(child(model->root, "worker"), "address"), "line");
  CHECK(line.min_occurs == 1);
  CHECK(line.max_occurs == 3);
  CHECK(line.children.empty());
  CHECK(names(child(child(model->root, "worker"), "healthNumber")) ==
        std::vector<std::string>{"jurisdiction", "value", "versionCode"});
  CHECK(schemas()->has(DocumentType::kReferral));
}

TEST_CASE("load() fails naming the file", "[schema]") {
  TempDir dir;
  StderrCapture stderr_capture;

  SECTION("no referral schema") {
    CHECK_THAT(loadError(dir), Catch::Contains("referral-v1.xsd") && Catch::Contains("missing"));
  }
  SECTION("a directory that does not exist") {
    CHECK_THROWS_WITH(SchemaSet::load(dir.path() / "nowhere"), Catch::Contains("referral-v1.xsd"));
  }
  SECTION("the included file is missing") {
    dir.copySchema("referral-v1.xsd");
    CHECK_THAT(loadError(dir), Catch::Contains("common-v1.xsd"));
  }
  SECTION("not well-formed") {
    dir.copySchema("common-v1.xsd");
    dir.write("referral-v1.xsd", readSchema("referral-v1.xsd").substr(0, 900));
    CHECK_THAT(loadError(dir), Catch::Contains("referral-v1.xsd"));
  }
  SECTION("an unknown type") {
    dir.copySchema("common-v1.xsd");
    dir.write("referral-v1.xsd", editedReferral("type=\"WorkerType\"", "type=\"PersonType\""));
    CHECK_THAT(loadError(dir),
               Catch::Contains("referral-v1.xsd") && Catch::Contains("unknown type 'PersonType'"));
  }
  SECTION("a pattern libxml2 cannot compile") {
    dir.copySchema("referral-v1.xsd");
    std::string common = readSchema("common-v1.xsd");
    const std::string pattern = "value=\"[A-Z]{0,2}\"";
    common.replace(common.find(pattern), pattern.size(), "value=\"[A-Z{0,2\"");
    dir.write("common-v1.xsd", common);
    CHECK_THAT(loadError(dir),
               Catch::Contains("referral-v1.xsd") && Catch::Contains("does not compile"));
  }
  SECTION("a broken included file names that file") {
    dir.copySchema("referral-v1.xsd");
    std::string common = readSchema("common-v1.xsd");
    common.replace(common.find("type=\"UuidType\""), 15, "type=\"xs:anyType\"");
    dir.write("common-v1.xsd", common);
    CHECK_THAT(loadError(dir), Catch::Contains("common-v1.xsd") && Catch::Contains("xs:anyType"));
  }
  SECTION("xs:any is refused") {
    dir.copySchema("common-v1.xsd");
    dir.write("referral-v1.xsd",
              editedReferral("<xs:element name=\"notes\" type=\"Notes\" minOccurs=\"0\"/>",
                             "<xs:any processContents=\"lax\" minOccurs=\"0\"/>"));
    CHECK_THAT(loadError(dir), Catch::Contains("referral-v1.xsd") && Catch::Contains("xs:any"));
  }
  SECTION("includes may not leave the directory") {
    dir.copySchema("common-v1.xsd");
    for (const char* location : {"../common-v1.xsd", "/etc/passwd",
                                 "http://example.invalid/common-v1.xsd", "file:///etc/passwd"}) {
      INFO(location);
      dir.write("referral-v1.xsd",
                editedReferral("schemaLocation=\"common-v1.xsd\"",
                               std::string("schemaLocation=\"") + location + "\""));
      CHECK_THAT(loadError(dir),
                 Catch::Contains("referral-v1.xsd") && Catch::Contains("xs:include"));
    }
  }
  SECTION("a DOCTYPE in a schema is refused before anything is fetched") {
    dir.copySchema("common-v1.xsd");
    dir.write("referral-v1.xsd",
              editedReferral(
                  "<xs:schema",
                  "<!DOCTYPE xs:schema [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<xs:schema"));
    CHECK_THAT(loadError(dir),
               Catch::Contains("referral-v1.xsd") && Catch::Contains("DOCTYPE not allowed"));
  }
  SECTION("attributes outside the supported subset") {
    dir.copySchema("common-v1.xsd");
    dir.write("referral-v1.xsd",
              editedReferral("<xs:element name=\"notes\" type=\"Notes\"",
                             "<xs:element name=\"notes\" nillable=\"true\" type=\"Notes\""));
    CHECK_THAT(loadError(dir), Catch::Contains("referral-v1.xsd") && Catch::Contains("nillable"));
  }
  SECTION("unqualified local elements") {
    dir.copySchema("referral-v1.xsd");
    std::string common = readSchema("common-v1.xsd");
    common.replace(common.find("elementFormDefault=\"qualified\""), 30, "");
    dir.write("common-v1.xsd", common);
    CHECK_THAT(loadError(dir),
               Catch::Contains("common-v1.xsd") && Catch::Contains("elementFormDefault"));
  }
  SECTION("a recursive type") {
    dir.copySchema("common-v1.xsd");
    dir.write(
        "referral-v1.xsd",
        editedReferral(
            "<xs:element name=\"phone\" type=\"NonEmptyString\" minOccurs=\"0\"/>\n    "
            "</xs:sequence>\n  </xs:complexType>\n\n  <xs:complexType name=\"AddressType\">",
            "<xs:element name=\"phone\" type=\"NonEmptyString\" minOccurs=\"0\"/>\n"
            "      <xs:element name=\"guardian\" type=\"WorkerType\" minOccurs=\"0\"/>\n"
            "    </xs:sequence>\n  </xs:complexType>\n\n  <xs:complexType name=\"AddressType\">"));
    CHECK_THAT(loadError(dir), Catch::Contains("referral-v1.xsd") &&
                                   Catch::Contains("'WorkerType' contains itself"));
  }
  // Control-plane errors come back as exceptions, never as libxml2 chatter.
  CHECK(stderr_capture.text().empty());
}

TEST_CASE("a directory with only the Referral schema loads only the Referral", "[schema]") {
  TempDir dir;
  dir.copySchema("common-v1.xsd");
  dir.copySchema("referral-v1.xsd");
  const auto loaded = SchemaSet::load(dir.path());
  CHECK(loaded->has(DocumentType::kReferral));
  CHECK_FALSE(loaded->has(DocumentType::kReport));
  CHECK_FALSE(loaded->has(DocumentType::kInvoice));
  CHECK_FALSE(loaded->has(DocumentType::kTrainingReport));
  const auto problems = loaded->validate(DocumentType::kReport, "<Report/>");
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().message == "no schema is loaded for report documents");
}
