#pragma once
// Validating a WorkSafe document the way the board will: the XSD first, then
// the board rules of spec §2/§3 with the board's profile (identifiers, date
// order, money arithmetic, code tables, deadlines, wording). Both layers are
// reported together, each problem with the field's path and a stable code.
//
// Everything here only reads the SchemaSet and the BoardProfiles, which are
// immutable after load: any number of threads may validate at once.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/date.h"
#include "rtw/worksafe/schema.h"

namespace rtw::worksafe {

struct ValidationOptions {
  /// The day the document is checked on: invoices may not be post-dated and
  /// WSIB bills services of the last N days only. A parameter, so that a
  /// check can be repeated (and tested) as of a given day.
  Date today = Date::today();
  /// Checks against this board's profile instead of the header's board.
  std::string board;
  /// When set, a document of another type is a problem (the board simulator
  /// knows the type from the URL).
  std::optional<DocumentType> expected_type;
  /// The document the XML was written from (toXml), when the caller has it:
  /// the board rules run on it instead of on the XML read back. The XSD
  /// still checks the XML itself.
  const Document* written_from = nullptr;
};

/// The XSD, then (when the XML parsed and is a known document type) the board
/// rules. Empty when the document is valid; warnings do not make it invalid.
std::vector<Problem> validateDocument(const SchemaSet& schemas, const BoardProfiles& profiles,
                                      std::string_view xml, const ValidationOptions& options);
std::vector<Problem> validateDocument(const SchemaSet& schemas, const BoardProfiles& profiles,
                                      std::string_view xml, Date today);

/// The board rules alone, on a document that was read or built. The model is
/// the document's (SchemaSet::model(document.type())).
std::vector<Problem> checkBoardRules(const Document& document, const SchemaModel& model,
                                     const BoardProfile& profile, Date today);

/// True when any problem is an error.
bool hasErrors(const std::vector<Problem>& problems);

/// The codes of Problem::code. Stable: partners and the board key on them.
namespace problem_code {
inline constexpr std::string_view kXml = "XML";        // not well-formed, DOCTYPE, size
inline constexpr std::string_view kSchema = "SCHEMA";  // the XSD
inline constexpr std::string_view kDocumentType = "DOCUMENT_TYPE";
inline constexpr std::string_view kBoardProfile = "BOARD_PROFILE";
inline constexpr std::string_view kProgramUnknown = "PROGRAM_UNKNOWN";
inline constexpr std::string_view kProgramDocument = "PROGRAM_DOCUMENT";
inline constexpr std::string_view kProgramNotEffective = "PROGRAM_NOT_EFFECTIVE";
inline constexpr std::string_view kProgramNotice = "PROGRAM_NOTICE";
inline constexpr std::string_view kClaimNumber = "CLAIM_NUMBER";
inline constexpr std::string_view kBcPhnFormat = "BC_PHN_FORMAT";
inline constexpr std::string_view kBcPhnCheck = "BC_PHN_CHECK";
inline constexpr std::string_view kOnHcnFormat = "ON_HCN_FORMAT";
inline constexpr std::string_view kOnHcnCheck = "ON_HCN_CHECK";
inline constexpr std::string_view kPostalCode = "POSTAL_CODE";
inline constexpr std::string_view kDateOrder = "DATE_ORDER";
inline constexpr std::string_view kStatusReason = "STATUS_REASON";
inline constexpr std::string_view kStatusReasonCode = "STATUS_REASON_CODE";
inline constexpr std::string_view kStatusComment = "STATUS_COMMENT";
inline constexpr std::string_view kFeeCode = "FEE_CODE";
inline constexpr std::string_view kFeeContract = "FEE_CONTRACT";
inline constexpr std::string_view kFeeTax = "FEE_TAX";
inline constexpr std::string_view kReportSection = "REPORT_SECTION";
inline constexpr std::string_view kDischargeStatus = "DISCHARGE_STATUS";
inline constexpr std::string_view kAttendanceCount = "ATTENDANCE_COUNT";
inline constexpr std::string_view kReportDeadline = "REPORT_DEADLINE";
inline constexpr std::string_view kAbilitiesLanguage = "ABILITIES_LANGUAGE";
inline constexpr std::string_view kGstRequired = "GST_REQUIRED";
inline constexpr std::string_view kGstFormat = "GST_FORMAT";
inline constexpr std::string_view kGstCheck = "GST_CHECK";
inline constexpr std::string_view kTaxAmount = "TAX_AMOUNT";
inline constexpr std::string_view kMoneyLine = "MONEY_LINE";
inline constexpr std::string_view kMoneySubtotal = "MONEY_SUBTOTAL";
inline constexpr std::string_view kMoneyGst = "MONEY_GST";
inline constexpr std::string_view kMoneyPst = "MONEY_PST";
inline constexpr std::string_view kMoneyTotal = "MONEY_TOTAL";
inline constexpr std::string_view kOneWorker = "ONE_WORKER";
inline constexpr std::string_view kAuthorizationPeriod = "AUTHORIZATION_PERIOD";
inline constexpr std::string_view kBillingWindow = "BILLING_WINDOW";
inline constexpr std::string_view kMtcuCode = "MTCU_CODE";
inline constexpr std::string_view kApsNumber = "APS_NUMBER";
inline constexpr std::string_view kCredential = "CREDENTIAL";
inline constexpr std::string_view kTrainingPlan = "TRAINING_PLAN";
inline constexpr std::string_view kTrainingSection = "TRAINING_SECTION";
inline constexpr std::string_view kTrainingStatus = "TRAINING_STATUS";
inline constexpr std::string_view kAttendanceHours = "ATTENDANCE_HOURS";
inline constexpr std::string_view kAttendancePeriod = "ATTENDANCE_PERIOD";
inline constexpr std::string_view kWithdrawalReason = "WITHDRAWAL_REASON";
}  // namespace problem_code

}  // namespace rtw::worksafe
