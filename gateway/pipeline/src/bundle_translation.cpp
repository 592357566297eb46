#include "rtw/mapping/fhir_source.h"
#include "rtw/pipeline/translation.h"

namespace rtw::pipeline {
namespace {

/// The stored Bundle a payload is, or nullptr.
const fhir::Resource* storedBundle(const Payload& payload) {
  if (payload.fhir() == nullptr || payload.messageType() != "Bundle") {
    return nullptr;
  }
  const auto* source = dynamic_cast<const mapping::FhirSource*>(&payload.source());
  return source != nullptr ? &source->resource() : nullptr;
}

bool mapped(const mapping::MappingSet* mappings, const std::string& type) {
  return mappings != nullptr && mappings->find(type) != nullptr;
}

}  // namespace

std::vector<std::size_t> translatedEntries(const Payload& payload,
                                           const mapping::MappingSet* mappings) {
  const fhir::Resource* bundle = storedBundle(payload);
  if (bundle == nullptr) {
    return {};
  }
  const std::string type = bundle->first("Bundle.type");
  const std::vector<fhir::Resource> entries = bundle->entries();
  // entries() leaves out entries without a resource: a stored Bundle has
  // none such, and anything else is not translated entry by entry.
  if (entries.size() != bundle->count("Bundle.entry[*]")) {
    return {};
  }
  std::vector<std::size_t> translated;
  if (type == "document") {
    if (!entries.empty() && entries.front().resourceType() == "Composition" &&
        mapped(mappings, "Composition")) {
      translated.push_back(0);
    }
    return translated;
  }
  if (type != "transaction") {
    return {};
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string status =
        bundle->first("Bundle.entry[" + std::to_string(i) + "].response.status");
    if (status.rfind("200", 0) != 0 && mapped(mappings, entries[i].resourceType())) {
      translated.push_back(i);
    }
  }
  return translated;
}

std::vector<EntryTranslation> translateEntries(const TranslationSetup& setup,
                                               const Payload& payload, const HostFields& host) {
  std::vector<EntryTranslation> translations;
  const fhir::Resource* bundle = storedBundle(payload);
  if (bundle == nullptr) {
    return translations;
  }
  const std::vector<fhir::Resource> entries = bundle->entries();
  std::size_t numbered = 0;
  for (const std::size_t index : translatedEntries(payload, setup.mappings.get())) {
    // The entry reads as a resource of the Bundle: resolve() finds its
    // neighbours by fullUrl or Type/id.
    const auto unit = fhirPayload(entries[index], std::string(payload.payload()), payload.format());
    HostFields entry_host = host;
    entry_host.document_id = [&host, numbered](std::size_t i) {
      return host.document_id(numbered + i);
    };
    EntryTranslation translated{index, translate(setup, *unit, entry_host)};
    numbered += translated.translation.documents.size();
    translations.push_back(std::move(translated));
  }
  return translations;
}

}  // namespace rtw::pipeline
