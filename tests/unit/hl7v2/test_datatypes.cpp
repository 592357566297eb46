// Composite data types: CX, XPN, XAD, CE/CWE, XCN and HD.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rtw/hl7v2/datatypes.h"
#include "samples.h"

using rtw::hl7v2::Address;
using rtw::hl7v2::CodedValue;
using rtw::hl7v2::HierarchicDesignator;
using rtw::hl7v2::IdentifiedPerson;
using rtw::hl7v2::Identifier;
using rtw::hl7v2::Message;
using rtw::hl7v2::PersonName;
using rtw::hl7v2::test::joinSegments;
using rtw::hl7v2::test::parseOrFail;
using rtw::hl7v2::test::referral;

namespace {

Message sample() {
  return parseOrFail(joinSegments({
      R"(MSH|^~\&|APP|FAC|RTWGW|WSBC|20250301||ORU^R01|C1|P|2.5)",
      R"(PID|1||12345^7^M10^BCMSP&2.16.840.1.113883.3.51.1.1&ISO^JHN^VGH&1.2.3&ISO~A1^^^WSBC^WCN||)"
      R"(Van Der Berg&Van&Berg^Anna^Maria L^Jr^Dr^PhD^L~Smith^Ann^^^^^A||19800101|F|||)"
      R"(1 Main St&Main St&1^Unit 4^Vancouver^BC^V5K 0A1^CA^H~^^Victoria^BC^^CA^B)",
      R"(OBX|1|CE|8867-4^Heart rate^LN^HR^Pulse^L^2.68^v1^heart rate \T\ rhythm||72)",
      R"(ORC|NW|||||||||||1234^Case^Morgan^J^III^Dr^MD^^WSBC&2.16.1&ISO^L^5^M11^NPI^CLINIC01)",
      R"(PV1|1|O|||||~^Nobody|""|)",
  }));
}

}  // namespace

TEST_CASE("CX gives id, check digit, authority, type and facility", "[hl7v2][datatypes]") {
  Message m = sample();
  Identifier expected{"12345", "7",
                      "M10",   {"BCMSP", "2.16.840.1.113883.3.51.1.1", "ISO"},
                      "JHN",   {"VGH", "1.2.3", "ISO"}};
  CHECK(rtw::hl7v2::readCx(m, "PID-3") == expected);
  Identifier second{"A1", "", "", {"WSBC", "", ""}, "WCN", {}};
  CHECK(rtw::hl7v2::readCx(m, "PID-3(2)") == second);
  CHECK(rtw::hl7v2::readAllCx(m, "PID-3(*)") == std::vector<Identifier>{expected, second});
  // The referral's health number, as the plugin reads it.
  Message ref = parseOrFail(referral());
  auto phn = rtw::hl7v2::readCx(ref, "PID-3(1)");
  REQUIRE(phn.has_value());
  CHECK(phn->id == "9698658215");
  CHECK(phn->assigning_authority.namespace_id == "BC");
  CHECK(phn->identifier_type == "JHN");
}

TEST_CASE("XPN gives the name parts of each repetition", "[hl7v2][datatypes]") {
  Message m = sample();
  PersonName legal{"Van Der Berg", "Anna", "Maria L", "Jr", "Dr", "PhD", "L"};
  PersonName alias{"Smith", "Ann", "", "", "", "", "A"};
  CHECK(rtw::hl7v2::readXpn(m, "PID-5") == legal);
  CHECK(rtw::hl7v2::readAllXpn(m, "PID-5(*)") == std::vector<PersonName>{legal, alias});
  // A v2.2-style family name without subcomponents reads the same.
  Message old = parseOrFail(R"(MSH|^~\&|A|B|C|D|1999||ADT^A01|C|P|2.2)"
                            "\rPID|1||X||Doe^John\r");
  CHECK(rtw::hl7v2::readXpn(old, "PID-5")->family == "Doe");
}

TEST_CASE("XAD gives street, city, province, postal code, country and type", "[hl7v2][datatypes]") {
  Message m = sample();
  Address home{"1 Main St", "Unit 4", "Vancouver", "BC", "V5K 0A1", "CA", "H"};
  Address business{"", "", "Victoria", "BC", "", "CA", "B"};
  CHECK(rtw::hl7v2::readXad(m, "PID-11") == home);
  CHECK(rtw::hl7v2::readAllXad(m, "PID-11(*)") == std::vector<Address>{home, business});
}

TEST_CASE("CE and CWE give code, text and system with the alternate coding", "[hl7v2][datatypes]") {
  Message m = sample();
  CodedValue cwe{"8867-4", "Heart rate",         "LN", "HR", "Pulse", "L", "2.68",
                 "v1",     "heart rate & rhythm"};
  CHECK(rtw::hl7v2::readCe(m, "OBX-3") == cwe);
  Message ref = parseOrFail(referral());
  CodedValue diagnosis{"S33.5", "Sprain of lumbar spine", "I10", "", "", "", "", "", ""};
  CHECK(rtw::hl7v2::readCe(ref, "DG1-3") == diagnosis);
  CHECK(rtw::hl7v2::readAllCe(ref, "PRD[*]-1") ==
        std::vector<CodedValue>{{"RP", "Referring Provider", "HL70286", "", "", "", "", "", ""},
                                {"RT", "Referred to Provider", "HL70286", "", "", "", "", "", ""}});
  // A part the sender split into subcomponents reads its first one, like get().
  Message split = parseOrFail(R"(MSH|^~\&|A|B|C|D|1999||ORU^R01|C|P|2.5)"
                              "\rOBX|1|CWE|8867-4&x^Heart rate&y^LN\r");
  CHECK(rtw::hl7v2::readCe(split, "OBX-3")->code == "8867-4");
  CHECK(rtw::hl7v2::readCe(split, "OBX-3")->text == "Heart rate");
}

TEST_CASE("XCN gives the id, the name and the assigning authority", "[hl7v2][datatypes]") {
  Message m = sample();
  IdentifiedPerson expected{"1234", {"Case", "Morgan", "J", "III", "Dr", "MD", "L"},
                            "",     {"WSBC", "2.16.1", "ISO"},
                            "5",    "M11",
                            "NPI",  {"CLINIC01", "", ""}};
  CHECK(rtw::hl7v2::readXcn(m, "ORC-12") == expected);
  // Its HD read on its own, as a component split into subcomponents.
  CHECK(rtw::hl7v2::readHd(m, "ORC-12.9") == HierarchicDesignator{"WSBC", "2.16.1", "ISO"});
  CHECK(rtw::hl7v2::readXcn(m, "ORC-12.2")->id == "Case");  // one level down: no more split
  CHECK(rtw::hl7v2::readXcn(m, "ORC-12.9")->name.family == "2.16.1");
}

TEST_CASE("absent, empty and null values read as nothing", "[hl7v2][datatypes]") {
  Message m = sample();
  CHECK_FALSE(rtw::hl7v2::readCx(m, "PID-4").has_value());    // empty field
  CHECK_FALSE(rtw::hl7v2::readCx(m, "PID-40").has_value());   // beyond the segment
  CHECK_FALSE(rtw::hl7v2::readXcn(m, "PV1-8").has_value());   // explicit null
  CHECK_FALSE(rtw::hl7v2::readXpn(m, "NK1-2").has_value());   // no such segment
  CHECK_FALSE(rtw::hl7v2::readCe(m, "OBX-3(*").has_value());  // invalid path
  CHECK_FALSE(rtw::hl7v2::readHd(m, "MSH-2").has_value());    // the delimiters
  // readAll skips the empty first repetition of PV1-7.
  auto doctors = rtw::hl7v2::readAllXcn(m, "PV1-7(*)");
  REQUIRE(doctors.size() == 1);
  CHECK(doctors[0].name.family == "Nobody");
  // Without '*' the path names repetition 1, which is empty; with it the
  // first repetition present is read.
  CHECK_FALSE(rtw::hl7v2::readXcn(m, "PV1-7").has_value());
  CHECK(rtw::hl7v2::readXcn(m, "PV1-7(*)")->name.family == "Nobody");
  CHECK(rtw::hl7v2::readAllCx(m, "ZZZ[*]-1").empty());
}
