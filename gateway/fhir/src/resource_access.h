#pragma once
// What the XML reader and the writers need of a Resource beyond its public
// reads: its JSON, and a Resource made from a document they built.

#include <memory>

#include <rapidjson/document.h>

#include "rtw/fhir/resource.h"

namespace rtw::fhir::detail {

struct ResourceAccess {
  static const rapidjson::Value& json(const Resource& resource);
  /// `document` is a JSON object with a string resourceType.
  static Resource adopt(std::shared_ptr<rapidjson::Document> document);
};

}  // namespace rtw::fhir::detail
