// Referral rules: the reasons DECLINED and ON_HOLD need, requested fee
// codes, and date order. Each case breaks one rule of a valid example.

#include <catch2/catch.hpp>

#include "example_fixture.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

namespace {

const std::string kAccepted = "referral-wsbc-crrtw.xml";     // WSBC, ACCEPTED, no reason
const std::string kDeclined = "referral-wsib-declined.xml";  // WSIB, DECLINED with reason

}  // namespace

TEST_CASE("STATUS_REASON: ON_HOLD and DECLINED need a reason code", "[rules][referral]") {
  requireOnly(
      variant(kAccepted, {}, {{"status", "ON_HOLD"}}),
      error("STATUS_REASON", "statusReason/code", "an ON_HOLD referral needs a reason code"));
  // DECLINED without any statusReason misses both the code and the comment.
  requireProblems(
      variant(kDeclined, {"statusReason"}),
      {error("STATUS_REASON", "statusReason/code", "a DECLINED referral needs a reason code"),
       error("STATUS_COMMENT", "statusReason/comment", "a DECLINED referral needs a comment")});
  CHECK(
      check(variant(kAccepted, {}, {{"status", "ON_HOLD"}, {"statusReason/code", "AWAITING_INFO"}}))
          .empty());
}

TEST_CASE("STATUS_COMMENT: a DECLINED referral needs a comment", "[rules][referral]") {
  requireOnly(
      variant(kDeclined, {"statusReason/comment"}),
      error("STATUS_COMMENT", "statusReason/comment", "a DECLINED referral needs a comment"));
}

TEST_CASE("STATUS_REASON_CODE: reason codes come from the board profile", "[rules][referral]") {
  requireOnly(variant(kDeclined, {}, {{"statusReason/code", "TOO_BUSY"}}),
              error("STATUS_REASON_CODE", "statusReason/code", "not a WSIB decline reason code"));
  // A decline reason is not a hold reason.
  requireOnly(variant(kAccepted, {}, {{"status", "ON_HOLD"}, {"statusReason/code", "NO_CAPACITY"}}),
              error("STATUS_REASON_CODE", "statusReason/code", "not a WSBC hold reason code"));
}

TEST_CASE("other statuses need no reason", "[rules][referral]") {
  for (const char* status : {"ASSIGNED", "ACKNOWLEDGED", "SCHEDULED", "IN_PROGRESS", "DISCHARGED",
                             "CANCELLED", "EXPIRED"}) {
    INFO(status);
    CHECK(check(variant(kAccepted, {}, {{"status", status}})).empty());
  }
}

TEST_CASE("FEE_CODE: requested services use the program's fee codes", "[rules][referral]") {
  requireOnly(variant(kAccepted, {}, {{"service[2]/feeCode", "OR1-TRT"}}),
              error("FEE_CODE", "service[2]/feeCode",
                    "not in the WSBC fee table of program CRRTW on the referralDate"));
  requireOnly(variant(kDeclined, {}, {{"service[1]/feeCode", "WT-TUITION"}}),
              error("FEE_CODE", "service[1]/feeCode",
                    "not in the WSIB fee table of program MSK_POC on the referralDate"));
}

TEST_CASE("DATE_ORDER: injury, then referral", "[rules][referral][dates]") {
  requireOnly(variant(kAccepted, {}, {{"dateOfInjury", "2025-03-02"}}),
              error("DATE_ORDER", "referralDate", "must not be before dateOfInjury"));
  requireOnly(variant(kAccepted, {}, {{"worker/birthDate", "2025-01-16"}}),
              error("DATE_ORDER", "dateOfInjury", "must not be before worker/birthDate"));
  requireOnly(variant(kAccepted, {}, {{"authorization/end", "2025-02-28"}}),
              error("DATE_ORDER", "authorization/end", "must not be before authorization/start"));
  // The same day is in order.
  CHECK(check(variant(kAccepted, {}, {{"dateOfInjury", "2025-03-01"}})).empty());
}
