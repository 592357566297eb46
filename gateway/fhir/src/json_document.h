#pragma once
// A FHIR JSON text parsed once and shared by the resources read from it
// (a Bundle and its entries): numbers keep their text ("100.00") and stay
// known as numbers, and a Bundle at the root is indexed for resolve() the
// first time a reference is resolved.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

namespace rtw::fhir::detail {

class JsonDocument {
 public:
  /// The document, or nullptr with `error` set when the text does not
  /// parse. Callers check size and depth first (RapidJSON recurses).
  static std::shared_ptr<const JsonDocument> parse(std::string_view json, std::string& error);

  /// A document built elsewhere (the XML reader), taken over whole: its
  /// numbers are strings there, so isNumber() knows none of them (the
  /// writers type them from the R4 definitions instead).
  static std::shared_ptr<const JsonDocument> adopt(rapidjson::Document& document);

  const rapidjson::Value& root() const { return document_; }
  /// Whether `value` was a JSON number (it is held as its text).
  bool isNumber(const rapidjson::Value* value) const;

  /// The resource of the root Bundle's entry whose fullUrl is `url`, or nullptr.
  const rapidjson::Value* entryByFullUrl(std::string_view url) const;
  /// The resource of an entry that is `type`/`id`; `local_only` skips
  /// entries whose fullUrl is an absolute http(s) URL (another server's).
  const rapidjson::Value* entryByTypeAndId(std::string_view type, std::string_view id,
                                           bool local_only) const;

 private:
  struct BundleIndex {
    std::unordered_map<std::string_view, const rapidjson::Value*> by_full_url;
    std::unordered_map<std::string, const rapidjson::Value*> by_type_id;
    std::unordered_map<std::string, const rapidjson::Value*> local_by_type_id;
  };
  const BundleIndex& bundleIndex() const;

  rapidjson::Document document_;
  std::vector<const rapidjson::Value*> numbers_;  // sorted
  mutable std::once_flag index_once_;
  mutable BundleIndex index_;
};

/// The string member `name` of an object, or "" (also for non-objects).
std::string_view stringMember(const rapidjson::Value& value, const char* name);
/// An object with a string resourceType.
bool isResource(const rapidjson::Value& value);

}  // namespace rtw::fhir::detail
