// FHIR XML at the running gateway's endpoint, over mutual TLS: a resource
// or a batch Bundle posted in XML goes through the same flow as JSON (and is
// journaled as JSON), every answer is written in the format _format or
// Accept asks for, and XML that is not a FHIR resource — broken, with a
// DOCTYPE or an entity — is refused with nothing stored.

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "fhir_client.h"
#include "harness.h"
#include "rtw/fhir/json.h"
#include "rtw/fhir/resource.h"
#include "rtw/fhir/xml.h"

namespace {

using rtw::fhir::Resource;
using rtw::testing::Answer;
using rtw::testing::FhirHeaders;
using rtw::testing::golden;
using rtw::testing::RunningSystem;
using rtw::testing::sourceFile;
using rtw::testing::waitUntil;

constexpr const char* kXml = "application/fhir+xml";
constexpr const char* kXmlAnswer = "application/fhir+xml; charset=utf-8";
constexpr const char* kJsonAnswer = "application/fhir+json; charset=utf-8";

/// A request of westcoast-fhir's, the body in XML unless said.
Answer westcoast(const RunningSystem& system, const std::string& method, const std::string& target,
                 const std::string& body = "", const std::string& content_type = kXml,
                 const FhirHeaders& headers = {}) {
  return rtw::testing::fhirCall(system, "westcoast-fhir", method, target, body, content_type,
                                headers);
}

/// The golden referral as another implementation writes it in XML
/// (tests/data/fhir/README.md).
std::string referralXml() { return sourceFile("tests/data/fhir/servicerequest-referral.xml"); }

/// An answer body read as FHIR XML; fails the test when it is not.
Resource fromXml(const Answer& reply) {
  std::string error;
  std::optional<Resource> resource = rtw::fhir::parseXml(reply.body, error);
  INFO(reply.body);
  REQUIRE(resource);
  return *resource;
}

Resource fromJson(const Answer& reply) {
  std::string error;
  std::optional<Resource> resource = Resource::parseJson(reply.body, error);
  INFO(reply.body);
  REQUIRE(resource);
  return *resource;
}

/// Whether two resources are the same JSON, members in any order.
bool sameJson(const Resource& a, const Resource& b) {
  rapidjson::Document left;
  left.Parse(rtw::fhir::toJson(a).c_str());
  rapidjson::Document right;
  right.Parse(rtw::fhir::toJson(b).c_str());
  return !left.HasParseError() && left == right;
}

/// The id in a Location ".../fhir/{type}/{id}/_history/1".
std::string idIn(const std::string& location) {
  const std::string history = "/_history/1";
  REQUIRE(location.size() > history.size());
  const std::string path = location.substr(0, location.size() - history.size());
  return path.substr(path.rfind('/') + 1);
}

std::string rows(const RunningSystem& system) {
  return system.queryJournal("SELECT COUNT(*) FROM messages");
}

/// The referral in XML with `from` replaced by `to` (which must be there).
std::string changedReferral(const std::string& from, const std::string& to) {
  std::string xml = referralXml();
  const auto at = xml.find(from);
  REQUIRE(at != std::string::npos);
  return xml.replace(at, from.size(), to);
}

/// The XML after its declaration (to nest one resource in another).
std::string withoutDeclaration(const std::string& xml) {
  return xml.rfind("<?xml", 0) == 0 ? xml.substr(xml.find("?>") + 2) : xml;
}

}  // namespace

TEST_CASE("FHIR XML: a ServiceRequest in XML is created, journaled as JSON, read in both formats") {
  RunningSystem system;
  const Answer created = westcoast(system, "POST", "/fhir/ServiceRequest", referralXml());
  REQUIRE(created.status == 201);
  // Without Accept or _format the answer is in the request's own format.
  CHECK(created.head.getContentType() == kXmlAnswer);
  const std::string id = idIn(created.head.get("Location", ""));
  const Resource echoed = fromXml(created);
  CHECK(echoed.id() == id);
  CHECK(echoed.first("ServiceRequest.meta.versionId") == "1");

  // One form in the journal: the JSON of the resource.
  CHECK(system.queryJournal("SELECT channel, format, message_type, control_id, "
                            "substr(payload, 1, 32) FROM messages") ==
        "fhir|fhir+json|ServiceRequest|" + id + "|{\"resourceType\":\"ServiceRequest\"\n");

  const Answer as_xml = westcoast(system, "GET", "/fhir/ServiceRequest/" + id, "", kXml,
                                  {{"Accept", "application/fhir+xml"}});
  REQUIRE(as_xml.status == 200);
  CHECK(as_xml.head.getContentType() == kXmlAnswer);
  const Answer as_json = westcoast(system, "GET", "/fhir/ServiceRequest/" + id);
  REQUIRE(as_json.status == 200);
  CHECK(as_json.head.getContentType() == kJsonAnswer);
  // The same resource either way (members in another order), and what was sent.
  CHECK(sameJson(fromXml(as_xml), fromJson(as_json)));
  CHECK(fromJson(as_json).select("ServiceRequest.contained.where(resourceType = "
                                 "'Patient').name.given") ==
        std::vector<std::string>{"Jane", "Marie"});
  CHECK(fromXml(as_xml).select("ServiceRequest.identifier.value") ==
        std::vector<std::string>{"WC-2026-0042", "12345678"});

  // Then delivered as any referral.
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
}

TEST_CASE("FHIR XML: _format wins over Accept, and an answer the client does not accept is 406") {
  RunningSystem system;
  const std::string referral = golden("servicerequest-referral.json");
  // JSON in, XML out (Accept), and XML in, JSON out.
  const Answer json_in = westcoast(system, "POST", "/fhir/ServiceRequest", referral,
                                   "application/fhir+json", {{"Accept", "application/fhir+xml"}});
  REQUIRE(json_in.status == 201);
  CHECK(json_in.head.getContentType() == kXmlAnswer);
  const std::string id = fromXml(json_in).id();
  const Answer xml_in = westcoast(system, "POST", "/fhir/ServiceRequest", referralXml(), "text/xml",
                                  {{"Accept", "application/json"}});
  REQUIRE(xml_in.status == 201);
  CHECK(xml_in.head.getContentType() == kJsonAnswer);
  CHECK(fromJson(xml_in).resourceType() == "ServiceRequest");

  const std::string read = "/fhir/ServiceRequest/" + id;
  const Answer xml_over_accept = westcoast(system, "GET", read + "?_format=xml", "", kXml,
                                           {{"Accept", "application/fhir+json"}});
  CHECK(xml_over_accept.head.getContentType() == kXmlAnswer);
  CHECK(fromXml(xml_over_accept).id() == id);
  const Answer json_over_accept = westcoast(system, "GET", read + "?_format=json", "", kXml,
                                            {{"Accept", "application/fhir+xml"}});
  CHECK(json_over_accept.head.getContentType() == kJsonAnswer);
  // "+" unescaped in the query (a space once decoded), and escaped.
  CHECK(westcoast(system, "GET", read + "?_format=application/fhir+xml").head.getContentType() ==
        kXmlAnswer);
  CHECK(
      westcoast(system, "GET", read + "?_format=application%2Ffhir%2Bjson").head.getContentType() ==
      kJsonAnswer);
  CHECK(westcoast(system, "GET", read, "", kXml, {{"Accept", "text/html, */*;q=0.1"}})
            .head.getContentType() == kJsonAnswer);

  // Neither format acceptable: 406, an OperationOutcome in JSON.
  const Answer refused = westcoast(system, "GET", read, "", kXml, {{"Accept", "text/plain"}});
  CHECK(refused.status == 406);
  CHECK(refused.head.getContentType() == kJsonAnswer);
  CHECK(fromJson(refused).first("OperationOutcome.issue.code") == "not-supported");
  CHECK_THAT(fromJson(refused).first("OperationOutcome.issue.diagnostics"),
             Catch::Contains("Accept"));
  const Answer turtle = westcoast(system, "GET", read + "?_format=ttl");
  CHECK(turtle.status == 406);
  CHECK_THAT(fromJson(turtle).first("OperationOutcome.issue.diagnostics"),
             Catch::Contains("_format"));
  // A create that could not be answered is not processed.
  CHECK(westcoast(system, "POST", "/fhir/ServiceRequest", referralXml(), kXml,
                  {{"Accept", "application/fhir+json;q=0, application/json;q=0, */*;q=0"}})
            .status == 406);
  // JSON that R4 XML cannot carry, to be answered in XML: refused before it is stored.
  std::string foreign = referral;
  foreign.insert(foreign.rfind('}'), R"(, "colour": "red")");
  const Answer unwritable = westcoast(system, "POST", "/fhir/ServiceRequest?_format=xml", foreign,
                                      "application/fhir+json");
  CHECK(unwritable.status == 406);
  CHECK(unwritable.head.getContentType() == kXmlAnswer);  // the client takes XML
  CHECK_THAT(fromXml(unwritable).first("OperationOutcome.issue.diagnostics"),
             Catch::Contains("colour"));
  CHECK(rows(system) == "2\n");
  // Stored from JSON, then read in XML: 406 too.
  const Answer stored =
      westcoast(system, "POST", "/fhir/ServiceRequest", foreign, "application/fhir+json");
  REQUIRE(stored.status == 201);
  const std::string foreign_read = "/fhir/ServiceRequest/" + fromJson(stored).id();
  const Answer unreadable = westcoast(system, "GET", foreign_read + "?_format=xml");
  CHECK(unreadable.status == 406);
  CHECK_THAT(fromXml(unreadable).first("OperationOutcome.issue.diagnostics"),
             Catch::Contains("colour"));
  CHECK(westcoast(system, "GET", foreign_read).status == 200);
}

TEST_CASE("FHIR XML: XML that is not a FHIR resource is 400 and nothing is journaled") {
  RunningSystem system({"https.maxBodyBytes=16384"});
  auto refusedAs = [&](const std::string& body, const std::string& content_type = kXml) {
    const Answer reply = westcoast(system, "POST", "/fhir/ServiceRequest", body, content_type);
    INFO(body.substr(0, 200));
    CHECK(reply.status == 400);
    CHECK(reply.head.getContentType() == kXmlAnswer);
    const Resource outcome = fromXml(reply);
    CHECK(outcome.resourceType() == "OperationOutcome");
    return outcome;
  };
  const std::string xml = referralXml();
  const Resource broken = refusedAs(xml.substr(0, xml.size() / 2));
  CHECK(broken.first("OperationOutcome.issue.code") == "structure");

  // A DOCTYPE is never read: no entity is expanded, no file or URL fetched.
  const std::string declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  const Resource external = refusedAs(
      declaration + "<!DOCTYPE ServiceRequest [<!ENTITY worker SYSTEM \"file:///etc/passwd\">]>" +
      withoutDeclaration(
          changedReferral("<family value=\"Doe\"/>", "<family value=\"&worker;\"/>")));
  CHECK_THAT(external.first("OperationOutcome.issue.diagnostics"), Catch::Contains("DOCTYPE"));
  const Resource internal =
      refusedAs(declaration +
                "<!DOCTYPE ServiceRequest [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>" +
                withoutDeclaration(xml));
  CHECK_THAT(internal.first("OperationOutcome.issue.diagnostics"), Catch::Contains("DOCTYPE"));
  // An entity without a DOCTYPE is not well-formed.
  refusedAs(changedReferral("<family value=\"Doe\"/>", "<family value=\"&worker;\"/>"));
  // Not in the FHIR namespace; not R4 (an element it does not define).
  refusedAs(changedReferral("xmlns=\"http://hl7.org/fhir\"", "xmlns=\"urn:example\""));
  refusedAs(changedReferral("<status value=\"active\"/>", "<colour value=\"red\"/>"),
            "application/xml");

  // A resource of another type than the path's, in XML: as for JSON.
  const Answer task =
      westcoast(system, "POST", "/fhir/ServiceRequest",
                R"(<Task xmlns="http://hl7.org/fhir"><status value="requested"/></Task>)");
  CHECK(task.status == 400);
  CHECK(fromXml(task).first("OperationOutcome.issue.code") == "invalid");
  // Another media type: 415, in JSON (the request named no format of ours).
  const Answer plain = westcoast(system, "POST", "/fhir/ServiceRequest", xml, "text/plain");
  CHECK(plain.status == 415);
  CHECK(plain.head.getContentType() == kJsonAnswer);
  CHECK(fromJson(plain).first("OperationOutcome.issue.code") == "not-supported");
  // The server's own refusals and the partner checks answer in XML too.
  const Answer big =
      westcoast(system, "POST", "/fhir/ServiceRequest",
                changedReferral("<status value=\"active\"/>",
                                "<status value=\"" + std::string(20000, 'x') + "\"/>"));
  CHECK(big.status == 413);
  CHECK(fromXml(big).first("OperationOutcome.issue.code") == "too-costly");
  const Answer no_channel =
      rtw::testing::fhirCall(system, "clinic01", "POST", "/fhir/ServiceRequest", xml, kXml);
  CHECK(no_channel.status == 403);
  CHECK(fromXml(no_channel).first("OperationOutcome.issue.code") == "forbidden");
  CHECK(rows(system) == "0\n");
}

TEST_CASE("FHIR XML: a resource that can never be a Referral is 422, the outcome in XML") {
  RunningSystem system;
  // A PHN whose check digit is wrong.
  const Answer refused = westcoast(system, "POST", "/fhir/ServiceRequest",
                                   changedReferral("9698658215", "9698658216"));
  REQUIRE(refused.status == 422);
  CHECK(refused.head.getContentType() == kXmlAnswer);
  const Resource outcome = fromXml(refused);
  CHECK(outcome.resourceType() == "OperationOutcome");
  CHECK(outcome.select("OperationOutcome.issue.code") == std::vector<std::string>{"business-rule"});
  CHECK_THAT(outcome.first("OperationOutcome.issue.diagnostics"),
             Catch::Contains("BC PHN check digit"));
  CHECK(outcome.first("OperationOutcome.issue.expression") ==
        "ServiceRequest.subject.resolve().identifier.where(system in %bcPhnSystems).value");
  CHECK_THAT(refused.body, !Catch::Contains("9698658216") && !Catch::Contains("Doe"));
  CHECK(rows(system) == "0\n");
}

TEST_CASE("FHIR XML: the CapabilityStatement in XML lists both formats") {
  RunningSystem system;
  const Answer xml =
      westcoast(system, "GET", "/fhir/metadata", "", kXml, {{"Accept", "application/fhir+xml"}});
  REQUIRE(xml.status == 200);
  CHECK(xml.head.getContentType() == kXmlAnswer);
  const Resource capability = fromXml(xml);
  CHECK(capability.resourceType() == "CapabilityStatement");
  CHECK(capability.first("CapabilityStatement.fhirVersion") == "4.0.1");
  CHECK(capability.select("CapabilityStatement.format") == std::vector<std::string>{"json", "xml"});
  CHECK(capability.count("CapabilityStatement.rest.resource[*]") == 7);  // Bundle: documents
  CHECK(capability.select("CapabilityStatement.rest.interaction.code") ==
        std::vector<std::string>{"transaction", "batch"});
  const Answer json = westcoast(system, "GET", "/fhir/metadata?_format=json");
  CHECK(json.head.getContentType() == kJsonAnswer);
  CHECK(sameJson(fromJson(json), capability));
}

TEST_CASE("FHIR XML: a batch Bundle in XML is answered with a batch-response in XML") {
  RunningSystem system;
  auto entry = [](const std::string& resource, const std::string& url) {
    return "<entry><resource>" + resource + "</resource><request><method value=\"POST\"/>" +
           "<url value=\"" + url + "\"/></request></entry>";
  };
  const std::string batch =
      R"(<Bundle xmlns="http://hl7.org/fhir"><type value="batch"/>)" +
      entry(withoutDeclaration(referralXml()), "ServiceRequest") +
      entry(R"(<Patient xmlns="http://hl7.org/fhir"><active value="true"/></Patient>)", "Patient") +
      "</Bundle>";
  const Answer answer = westcoast(system, "POST", "/fhir", batch);
  REQUIRE(answer.status == 200);
  CHECK(answer.head.getContentType() == kXmlAnswer);
  const Resource response = fromXml(answer);
  CHECK(response.first("Bundle.type") == "batch-response");
  CHECK(response.select("Bundle.entry.response.status") ==
        std::vector<std::string>{"201 Created", "404 Not Found"});
  CHECK_THAT(response.first("Bundle.entry[0].response.location"),
             Catch::Contains("/fhir/ServiceRequest/"));
  CHECK(response.first("Bundle.entry[1].response.outcome.issue.code") == "not-supported");
  CHECK(system.queryJournal("SELECT format, message_type FROM messages") ==
        "fhir+json|ServiceRequest\n");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));

  // The same Bundle answered in JSON when asked; one with a DOCTYPE refused whole.
  const Answer as_json =
      westcoast(system, "POST", "/fhir/", batch, kXml, {{"Accept", "application/fhir+json"}});
  CHECK(as_json.status == 200);
  CHECK(fromJson(as_json).first("Bundle.type") == "batch-response");
  const Answer doctype =
      westcoast(system, "POST", "/fhir", "<!DOCTYPE Bundle [<!ENTITY e \"batch\">]>" + batch);
  CHECK(doctype.status == 400);
  CHECK(fromXml(doctype).first("OperationOutcome.issue.code") == "structure");
  CHECK(rows(system) == "2\n");
}
