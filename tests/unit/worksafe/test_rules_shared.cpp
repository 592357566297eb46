// Rules every document shares: programs and their effective dates, the
// claim number per board, health numbers, postal codes and side codes. Each
// case breaks one rule of a valid example and names the one problem it
// must produce.

#include <catch2/catch.hpp>

#include "example_fixture.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

namespace {

const std::string kReferralBc = "referral-wsbc-crrtw.xml";
const std::string kReferralOn = "referral-wsib-declined.xml";
// The referral's requested fee codes are CRRTW's; other programs' cases drop them.
const std::set<std::string> kNoFeeCodes = {"service[1]/feeCode", "service[2]/feeCode"};

}  // namespace

TEST_CASE("PROGRAM_UNKNOWN: the program must be one of the board's", "[rules][program]") {
  requireOnly(variant(kReferralBc, kNoFeeCodes, {{"header/program", "MSK_POC"}}),
              error("PROGRAM_UNKNOWN", "header/program", "not a program of the WSBC profile"));
}

TEST_CASE("PROGRAM_DOCUMENT: the program must take the document type", "[rules][program]") {
  requireOnly(variant("training-report-enrolment.xml", {}, {{"header/program", "MSK_POC"}}),
              error("PROGRAM_DOCUMENT", "header/program",
                    "program MSK_POC takes no training-report documents"));
}

TEST_CASE("PROGRAM_NOT_EFFECTIVE: CRRTW before 2024-11-01 is invalid", "[rules][program]") {
  requireOnly(variant(kReferralBc, kNoFeeCodes,
                      {{"referralDate", "2024-10-31"}, {"dateOfInjury", "2024-10-01"}}),
              error("PROGRAM_NOT_EFFECTIVE", "header/program",
                    "program CRRTW is not in effect before 2024-11-01 (referralDate)"));
  // The first day is fine.
  CHECK(check(variant(kReferralBc, kNoFeeCodes,
                      {{"referralDate", "2024-11-01"}, {"dateOfInjury", "2024-10-01"}}))
            .empty());
}

TEST_CASE("PROGRAM_NOT_EFFECTIVE: OR2 after 2024-10-31 is a warning only", "[rules][program]") {
  const std::string xml = variant(kReferralBc, kNoFeeCodes, {{"header/program", "OR2"}});
  requireOnly(xml, warning("PROGRAM_NOT_EFFECTIVE", "header/program",
                           "program OR2 is not in effect after 2024-10-31 (referralDate); CRRTW "
                           "replaced OR2 where CRRTW is offered"));
  CHECK_FALSE(hasErrors(check(xml)));
  CHECK(check(variant(kReferralBc, kNoFeeCodes,
                      {{"header/program", "OR2"},
                       {"referralDate", "2024-10-31"},
                       {"dateOfInjury", "2024-10-01"}}))
            .empty());
}

TEST_CASE("PROGRAM_NOT_EFFECTIVE: ASTD after 2024-10-31 is an error", "[rules][program]") {
  requireOnly(variant(kReferralBc, kNoFeeCodes, {{"header/program", "ASTD"}}),
              error("PROGRAM_NOT_EFFECTIVE", "header/program",
                    "program ASTD is not in effect after 2024-10-31 (referralDate)"));
}

TEST_CASE("PROGRAM_NOTICE: OR1 after 2024-10-31 warns about rural areas", "[rules][program]") {
  requireOnly(variant(kReferralBc, kNoFeeCodes, {{"header/program", "OR1"}}),
              warning("PROGRAM_NOTICE", "header/program",
                      "from 2024-11-01 program OR1 is offered in rural and remote areas only"));
}

TEST_CASE("CLAIM_NUMBER: WorkSafeBC claims have 8 digits", "[rules][claim]") {
  requireOnly(
      variant(kReferralBc, {}, {{"header/claimNumber", "1234567"}}),
      error("CLAIM_NUMBER", "header/claimNumber", "not a valid WSBC claim number (8 digits)"));
}

TEST_CASE("CLAIM_NUMBER: WSIB claims have 7 to 8 digits", "[rules][claim]") {
  requireOnly(
      variant(kReferralOn, {}, {{"header/claimNumber", "123456"}}),
      error("CLAIM_NUMBER", "header/claimNumber", "not a valid WSIB claim number (7 to 8 digits)"));
  requireOnly(
      variant(kReferralOn, {}, {{"header/claimNumber", "123456789"}}),
      error("CLAIM_NUMBER", "header/claimNumber", "not a valid WSIB claim number (7 to 8 digits)"));
  CHECK(check(variant(kReferralOn, {}, {{"header/claimNumber", "12345678"}})).empty());
}

TEST_CASE("BC_PHN_CHECK and BC_PHN_FORMAT: the BC PHN", "[rules][health-number]") {
  requireOnly(
      variant(kReferralBc, {}, {{"worker/healthNumber/value", "9698648215"}}),
      error("BC_PHN_CHECK", "worker/healthNumber/value", "the BC PHN check digit is wrong"));
  requireOnly(
      variant(kReferralBc, {}, {{"worker/healthNumber/value", "969865821"}}),
      error("BC_PHN_FORMAT", "worker/healthNumber/value", "a BC PHN is 10 digits starting with 9"));
  // Reports carry the health number too.
  requireOnly(
      variant("report-initial-wsbc.xml", {}, {{"worker/healthNumber/value", "9698648215"}}),
      error("BC_PHN_CHECK", "worker/healthNumber/value", "the BC PHN check digit is wrong"));
}

TEST_CASE("ON_HCN_CHECK and ON_HCN_FORMAT: the Ontario health number", "[rules][health-number]") {
  requireOnly(variant(kReferralOn, {}, {{"worker/healthNumber/value", "1234567898"}}),
              error("ON_HCN_CHECK", "worker/healthNumber/value",
                    "the Ontario health number check digit is wrong"));
  requireOnly(variant(kReferralOn, {}, {{"worker/healthNumber/value", "1234567897AB"}}),
              error("ON_HCN_FORMAT", "worker/healthNumber/value",
                    "an Ontario health number is 10 digits, the first not 0 (the version code "
                    "goes in versionCode)"));
}

TEST_CASE("the Ontario version code is checked by the schema", "[rules][health-number]") {
  requireOnly(variant(kReferralOn, {}, {{"worker/healthNumber/versionCode", "abc"}}),
              error("SCHEMA", "worker/healthNumber/versionCode",
                    "[facet 'pattern'] The value is not accepted by the pattern '[A-Z]{0,2}'."));
}

TEST_CASE("health numbers of other provinces pass as given", "[rules][health-number]") {
  CHECK(check(variant(kReferralBc, {},
                      {{"worker/healthNumber/jurisdiction", "AB"},
                       {"worker/healthNumber/value", "123456789"}}))
            .empty());
}

TEST_CASE("POSTAL_CODE: Canadian addresses and payees", "[rules][postal]") {
  requireOnly(
      variant(kReferralBc, {}, {{"worker/address/postalCode", "V5K0A1"}}),
      error("POSTAL_CODE", "worker/address/postalCode", "not a Canadian postal code (A1A 1A1)"));
  requireOnly(variant("invoice-wsbc-crrtw.xml", {}, {{"payee/postalCode", "D6B 1A1"}}),
              error("POSTAL_CODE", "payee/postalCode", "not a Canadian postal code (A1A 1A1)"));
  // A foreign address keeps its own format; no country means Canada.
  CHECK(check(variant(kReferralBc, {},
                      {{"worker/address/country", "US"}, {"worker/address/postalCode", "98101"}}))
            .empty());
  requireOnly(
      variant(kReferralOn, {}, {{"worker/address/postalCode", "98101"}}),
      error("POSTAL_CODE", "worker/address/postalCode", "not a Canadian postal code (A1A 1A1)"));
}

TEST_CASE("SIDE: side codes are L, R, B or N (the schema)", "[rules][side]") {
  const std::string message =
      "[facet 'enumeration'] The value is not an element of the set {'L', 'R', 'B', 'N'}.";
  requireOnly(variant(kReferralBc, {}, {{"injury[1]/side", "X"}}),
              error("SCHEMA", "injury[1]/side", message));
  requireOnly(variant("invoice-wsib-msk.xml", {}, {{"line[2]/side", "left"}}),
              error("SCHEMA", "line[2]/side", message));
  requireOnly(variant("report-initial-wsbc.xml", {}, {{"injury[1]/side", "l"}}),
              error("SCHEMA", "injury[1]/side", message));
}
