#pragma once
// A message read by its format's reader: the SDK view a plugin reads and
// the mapping Source the partner's mappings read, over one parse. The
// translate worker reads each journal row with the reader its format names;
// `rtwctl map` and the golden tests read files into the same payloads, so
// all three translate exactly the same thing.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/enrolment/csv.h"
#include "rtw/fhir/resource.h"
#include "rtw/hl7v2/message.h"
#include "rtw/mapping/evaluate.h"
#include "rtw/sdk/message.h"
#include "rtw/security/partners.h"

namespace rtw::pipeline {

/// The journal's name of a format: "hl7v2", "fhir+json", "fhir+xml", "xml", "csv".
std::string_view formatName(sdk::Format format);
std::optional<sdk::Format> formatNamed(std::string_view name);

class Payload : public sdk::MessageView {
 public:
  /// The payload as the partner's mappings read it.
  virtual const mapping::Source& source() const = 0;
  /// What each document names as its source message (header/sourceMessageId):
  /// MSH-10, "ServiceRequest/sr-1", "export.csv:12".
  virtual std::string sourceMessageId() const = 0;

  const sdk::Hl7View* hl7() const noexcept override { return nullptr; }
  const sdk::FhirView* fhir() const noexcept override { return nullptr; }
  const sdk::XmlView* xml() const noexcept override { return nullptr; }
  const sdk::CsvRecordView* csv() const noexcept override { return nullptr; }
};

/// A resource the gateway holds for a partner, by type and id: its JSON, or
/// "" (PayloadContext::held).
using HeldLookup = std::function<std::string(const std::string& type, const std::string& id)>;

/// What a reader needs besides the bytes.
struct PayloadContext {
  std::string message_type;  // CSV: the record kind, "csv:enrolment" (the journal row's type)
  std::string
      source_message_id;    // CSV: "file:line", whose line the record has (journal: control id)
  hl7v2::ParseOptions hl7;  // the partner's character set
  /// FHIR: a resource the gateway holds for this partner by type and id (its
  /// JSON, "" when unknown) — a Task's focus or basedOn names the
  /// ServiceRequest it answers, sent here before (heldResources in
  /// fhir_intake.h). Unset: only the payload itself is read.
  HeldLookup held;
};

/// Reads one message (one journal row). Nothing, with `error` set, when the
/// bytes are not of that format: for CSV, a header and exactly one record.
/// A Task whose focus / basedOn the context holds reads as the first entry
/// of a collection Bundle with those resources (its bytes stay the Task), so
/// that `Task.focus.resolve()` finds them.
std::unique_ptr<Payload> readPayload(sdk::Format format, std::string bytes,
                                     const PayloadContext& context, std::string& error);

/// A Task whose focus / basedOn (relative references, "ServiceRequest/x")
/// `held` knows, as the first entry of a collection Bundle that holds them
/// too; any other resource as it is.
fhir::Resource withHeldResources(fhir::Resource resource, const HeldLookup& held);
/// A lookup among JSON resources read together (rtwctl map's files, a golden
/// case's siblings): the partner sent them before, as far as a Task goes.
HeldLookup heldAmong(const std::vector<std::string>& resources);

/// A parsed HL7 v2 message as a payload.
std::unique_ptr<Payload> hl7Payload(hl7v2::Message message);
/// One FHIR resource (a Bundle's entry, or the Bundle) as a payload; `bytes`
/// is what the partner sent (for an entry: its Bundle), in `format`
/// (kFhirJson or kFhirXml: the resource reads the same either way).
std::unique_ptr<Payload> fhirPayload(fhir::Resource resource, std::string bytes,
                                     sdk::Format format = sdk::Format::kFhirJson);
/// One record of a CSV file as a payload; its bytes are the header and the
/// record (what the journal keeps of a CSV row), its id "name:line".
std::unique_ptr<Payload> csvPayload(std::shared_ptr<const enrolment::CsvTable> table,
                                    std::size_t record, std::string message_type,
                                    const std::string& file_name);

/// How to parse this partner's HL7 (its configured character set).
hl7v2::ParseOptions parseOptionsFor(const security::Partner& partner);

/// The journal row's context: the partner's HL7 options, the row's type and id.
PayloadContext payloadContextFor(const security::Partner& partner, std::string message_type,
                                 std::string source_message_id);

}  // namespace rtw::pipeline
