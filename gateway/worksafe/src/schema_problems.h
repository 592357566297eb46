#pragma once
// Turning libxml2's XSD validation errors into Problems a partner can be
// shown: the path of the failing element ("injury[2]/side") and a message
// that never repeats a value of the document (values are PHI).

#include <string>

#include "rtw/worksafe/schema.h"
#include "xml_handles.h"

namespace rtw::worksafe::detail {

// One Problem per libxml2 validation error. The path comes from the failing
// node (root excluded, repeating elements indexed: "injury[1]/side"); a
// missing element is reported at its own path ("worker/birthDate").
Problem problemFromSchemaError(XmlErrorView error, const SchemaModel& model);

}  // namespace rtw::worksafe::detail
