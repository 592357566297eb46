#include "rtw/pipeline/payload.h"

#include <charconv>
#include <map>
#include <set>

#include "rtw/fhir/json.h"
#include "rtw/fhir/xml.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/mapping/csv_source.h"
#include "rtw/mapping/fhir_source.h"
#include "rtw/mapping/xml_source.h"

namespace rtw::pipeline {
namespace {

constexpr std::pair<sdk::Format, std::string_view> kFormatNames[] = {
    {sdk::Format::kHl7v2, "hl7v2"},      {sdk::Format::kFhirJson, "fhir+json"},
    {sdk::Format::kFhirXml, "fhir+xml"}, {sdk::Format::kXml, "xml"},
    {sdk::Format::kCsv, "csv"},
};

// Host calls never throw into plugin code: what would throw (an allocation
// failing) reads as nothing.
template <typename Read>
auto guarded(Read read) noexcept -> decltype(read()) {
  try {
    return read();
  } catch (...) {
    return {};
  }
}

class Hl7Payload final : public Payload, public sdk::Hl7View {
 public:
  explicit Hl7Payload(hl7v2::Message message) : message_(std::move(message)), source_(message_) {}

  sdk::Format format() const noexcept override { return sdk::Format::kHl7v2; }
  std::string_view payload() const noexcept override { return message_.bytes(); }
  std::string messageType() const noexcept override {
    return guarded([&] { return message_.messageType(); });
  }
  const sdk::Hl7View* hl7() const noexcept override { return this; }
  const mapping::Source& source() const override { return source_; }
  std::string sourceMessageId() const override { return message_.controlId(); }

  std::string get(std::string_view path) const noexcept override {
    return guarded([&] { return message_.get(path); });
  }
  std::vector<std::string> getAll(std::string_view path) const noexcept override {
    return guarded([&] { return message_.getAll(path); });
  }
  std::string getEncoded(std::string_view path) const noexcept override {
    return guarded([&] { return message_.getEncoded(path); });
  }
  std::string controlId() const noexcept override {
    return guarded([&] { return message_.controlId(); });
  }

 private:
  hl7v2::Message message_;
  mapping::Hl7Source source_;
};

class FhirResourceView final : public sdk::FhirView {
 public:
  explicit FhirResourceView(fhir::Resource resource) : resource_(std::move(resource)) {
    for (fhir::Resource& entry : resource_.entries()) {
      entries_.push_back(std::make_unique<FhirResourceView>(std::move(entry)));
    }
  }
  const fhir::Resource& resource() const { return resource_; }

  std::string resourceType() const noexcept override {
    return guarded([&] { return resource_.resourceType(); });
  }
  std::string id() const noexcept override {
    return guarded([&] { return resource_.id(); });
  }
  std::string get(std::string_view path) const noexcept override {
    return guarded([&] { return resource_.first(path); });
  }
  std::vector<std::string> getAll(std::string_view path) const noexcept override {
    return guarded([&] { return resource_.select(path); });
  }
  std::size_t entryCount() const noexcept override { return entries_.size(); }
  const sdk::FhirView* entry(std::size_t index) const noexcept override {
    return index < entries_.size() ? entries_[index].get() : nullptr;
  }

 private:
  fhir::Resource resource_;
  std::vector<std::unique_ptr<FhirResourceView>> entries_;
};

class FhirPayload final : public Payload {
 public:
  FhirPayload(fhir::Resource resource, std::string bytes, sdk::Format format)
      : format_(format), bytes_(std::move(bytes)), view_(resource), source_(std::move(resource)) {}

  sdk::Format format() const noexcept override { return format_; }
  std::string_view payload() const noexcept override { return bytes_; }
  std::string messageType() const noexcept override { return view_.resourceType(); }
  const sdk::FhirView* fhir() const noexcept override { return &view_; }
  const mapping::Source& source() const override { return source_; }
  std::string sourceMessageId() const override {
    const std::string id = view_.id();
    return view_.resourceType() + (id.empty() ? "" : "/" + id);
  }

 private:
  sdk::Format format_;  // kFhirJson or kFhirXml: what the bytes are
  std::string bytes_;
  FhirResourceView view_;
  mapping::FhirSource source_;
};

class XmlPayload final : public Payload, public sdk::XmlView {
 public:
  XmlPayload(std::unique_ptr<mapping::XmlSource> source, std::string bytes)
      : bytes_(std::move(bytes)), source_(std::move(source)) {}

  sdk::Format format() const noexcept override { return sdk::Format::kXml; }
  std::string_view payload() const noexcept override { return bytes_; }
  std::string messageType() const noexcept override { return rootName(); }
  const sdk::XmlView* xml() const noexcept override { return this; }
  const mapping::Source& source() const override { return *source_; }
  std::string sourceMessageId() const override { return rootName(); }

  std::string rootName() const noexcept override {
    return guarded([&] { return source_->rootName(); });
  }
  std::string get(std::string_view xpath) const noexcept override {
    return guarded([&] { return source_->get(xpath); });
  }
  std::vector<std::string> getAll(std::string_view xpath) const noexcept override {
    return guarded([&] { return source_->getAll(xpath); });
  }

 private:
  std::string bytes_;
  std::unique_ptr<mapping::XmlSource> source_;
};

class CsvPayload final : public Payload, public sdk::CsvRecordView {
 public:
  CsvPayload(std::shared_ptr<const enrolment::CsvTable> table, std::size_t record,
             std::string message_type, std::string source_id, int line)
      : table_(std::move(table)),
        record_(table_->records.at(record)),
        source_(*table_, record_),
        message_type_(std::move(message_type)),
        source_id_(std::move(source_id)),
        line_(line),
        bytes_(enrolment::formatCsvRow(table_->header) + enrolment::formatCsvRow(record_.fields)) {}

  sdk::Format format() const noexcept override { return sdk::Format::kCsv; }
  std::string_view payload() const noexcept override { return bytes_; }
  std::string messageType() const noexcept override {
    return guarded([&] { return message_type_; });
  }
  const sdk::CsvRecordView* csv() const noexcept override { return this; }
  const mapping::Source& source() const override { return source_; }
  std::string sourceMessageId() const override { return source_id_; }

  std::vector<std::string> header() const noexcept override {
    return guarded([&] { return table_->header; });
  }
  std::string get(std::string_view column) const noexcept override {
    return guarded([&] { return table_->value(record_, column); });
  }
  bool has(std::string_view column) const noexcept override {
    return table_->column(column).has_value();
  }
  int line() const noexcept override { return line_; }

 private:
  std::shared_ptr<const enrolment::CsvTable> table_;
  const enrolment::CsvTable::Record& record_;
  mapping::CsvRecordSource source_;
  std::string message_type_;
  std::string source_id_;
  int line_;
  std::string bytes_;
};

// The line a CSV row's id ends in ("export.csv:12"), or 0.
int lineOf(std::string_view source_id) {
  const std::size_t colon = source_id.rfind(':');
  int line = 0;
  if (colon != std::string_view::npos) {
    std::from_chars(source_id.data() + colon + 1, source_id.data() + source_id.size(), line);
  }
  return line;
}

// "ServiceRequest/abc" (relative, not contained, not a URL) → {type, id}.
std::optional<std::pair<std::string, std::string>> relativeReference(const std::string& reference) {
  const auto slash = reference.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == reference.size() ||
      reference.find_first_of(":#", 0) != std::string::npos ||
      reference.find('/', slash + 1) != std::string::npos) {
    return std::nullopt;
  }
  return std::pair{reference.substr(0, slash), reference.substr(slash + 1)};
}

/// Where a ServiceRequest names the resources a mapping reads through it.
constexpr const char* kRequestReferences[] = {"subject",        "insurance", "reasonReference",
                                              "supportingInfo", "requester", "performer"};

}  // namespace

std::string_view formatName(sdk::Format format) {
  for (const auto& [known, name] : kFormatNames) {
    if (known == format) {
      return name;
    }
  }
  return "unknown";
}

std::optional<sdk::Format> formatNamed(std::string_view name) {
  for (const auto& [format, known] : kFormatNames) {
    if (known == name) {
      return format;
    }
  }
  return std::nullopt;
}

fhir::Resource withHeldResources(fhir::Resource resource, const HeldLookup& held) {
  if (resource.resourceType() != "Task") {
    return resource;
  }
  std::string entries;
  std::set<std::string> added;
  // One resource held, as an entry (once), by the reference naming it.
  auto add = [&](const std::string& reference) -> std::optional<fhir::Resource> {
    const auto name = relativeReference(reference);
    if (!name || !added.insert(reference).second) {
      return std::nullopt;
    }
    const std::string json = held(name->first, name->second);
    std::string error;
    std::optional<fhir::Resource> found =
        json.empty() ? std::nullopt : fhir::Resource::parseJson(json, error);
    if (found) {
      entries += ",{\"fullUrl\":\"" + reference + "\",\"resource\":" + json + "}";
    }
    return found;
  };
  for (const char* path : {"Task.focus.reference", "Task.basedOn.reference"}) {
    for (const std::string& reference : resource.select(path)) {
      // A ServiceRequest created in a transaction names its worker, coverage
      // and injuries as the transaction's other entries: held too.
      if (const auto request = add(reference);
          request && request->resourceType() == "ServiceRequest") {
        for (const char* element : kRequestReferences) {
          for (const std::string& next :
               request->select("ServiceRequest." + std::string(element) + ".reference")) {
            add(next);
          }
        }
      }
    }
  }
  if (entries.empty()) {
    return resource;
  }
  const std::string bundle = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[" +
                             std::string("{\"resource\":") + fhir::toJson(resource) + "}" +
                             entries + "]}";
  std::string error;
  std::optional<fhir::Resource> wrapped = fhir::Resource::parseJson(bundle, error);
  if (!wrapped) {
    return resource;  // the held resources were stored as valid JSON: not expected
  }
  std::vector<fhir::Resource> units = wrapped->entries();
  return units.empty() ? resource : std::move(units.front());
}

HeldLookup heldAmong(const std::vector<std::string>& resources) {
  std::map<std::pair<std::string, std::string>, std::string> by_name;
  for (const std::string& json : resources) {
    std::string error;
    if (const std::optional<fhir::Resource> resource = fhir::Resource::parseJson(json, error)) {
      by_name.emplace(std::pair{resource->resourceType(), resource->id()}, json);
    }
  }
  return [by_name = std::move(by_name)](const std::string& type, const std::string& id) {
    const auto found = by_name.find({type, id});
    return found == by_name.end() ? std::string() : found->second;
  };
}

std::unique_ptr<Payload> hl7Payload(hl7v2::Message message) {
  return std::make_unique<Hl7Payload>(std::move(message));
}

std::unique_ptr<Payload> fhirPayload(fhir::Resource resource, std::string bytes,
                                     sdk::Format format) {
  return std::make_unique<FhirPayload>(std::move(resource), std::move(bytes), format);
}

std::unique_ptr<Payload> csvPayload(std::shared_ptr<const enrolment::CsvTable> table,
                                    std::size_t record, std::string message_type,
                                    const std::string& file_name) {
  const int line = table->records.at(record).line;
  return std::make_unique<CsvPayload>(std::move(table), record, std::move(message_type),
                                      file_name + ":" + std::to_string(line), line);
}

std::unique_ptr<Payload> readPayload(sdk::Format format, std::string bytes,
                                     const PayloadContext& context, std::string& error) {
  switch (format) {
    case sdk::Format::kHl7v2: {
      hl7v2::ParseOutcome parsed = hl7v2::Message::parse(bytes, context.hl7);
      if (!parsed.message) {
        error = parsed.error->message;
        return nullptr;
      }
      return hl7Payload(std::move(*parsed.message));
    }
    case sdk::Format::kFhirJson:
    case sdk::Format::kFhirXml: {
      // Both onto one model: the partner's mappings and plugin read the same
      // paths whichever the partner sent.
      std::optional<fhir::Resource> resource = format == sdk::Format::kFhirJson
                                                   ? fhir::Resource::parseJson(bytes, error)
                                                   : fhir::parseXml(bytes, error);
      if (resource && context.held) {
        resource = withHeldResources(std::move(*resource), context.held);
      }
      return resource ? fhirPayload(std::move(*resource), std::move(bytes), format) : nullptr;
    }
    case sdk::Format::kXml: {
      std::unique_ptr<mapping::XmlSource> source = mapping::XmlSource::parse(bytes, error);
      return source ? std::make_unique<XmlPayload>(std::move(source), std::move(bytes)) : nullptr;
    }
    case sdk::Format::kCsv: {
      std::optional<enrolment::CsvTable> table = enrolment::parseCsv(bytes, error);
      if (!table) {
        return nullptr;
      }
      if (table->records.size() != 1 || !table->problem(table->records.front()).empty()) {
        error = "a CSV row is its file's header and one record with as many fields";
        return nullptr;
      }
      return std::make_unique<CsvPayload>(
          std::make_shared<const enrolment::CsvTable>(std::move(*table)), 0, context.message_type,
          context.source_message_id, lineOf(context.source_message_id));
    }
  }
  error = "the gateway has no reader for " + std::string(formatName(format)) + " payloads";
  return nullptr;
}

hl7v2::ParseOptions parseOptionsFor(const security::Partner& partner) {
  hl7v2::ParseOptions options;
  if (partner.mllp && !partner.mllp->charset.empty()) {
    options.charset = hl7v2::charsetFromName(partner.mllp->charset);
  }
  return options;
}

PayloadContext payloadContextFor(const security::Partner& partner, std::string message_type,
                                 std::string source_message_id) {
  PayloadContext context;
  context.message_type = std::move(message_type);
  context.source_message_id = std::move(source_message_id);
  context.hl7 = parseOptionsFor(partner);
  return context;
}

}  // namespace rtw::pipeline
