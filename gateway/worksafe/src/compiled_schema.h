#pragma once
// What SchemaSet keeps per document type; shared by the files that
// implement SchemaSet.

#include <memory>

#include "rtw/worksafe/schema.h"
#include "xml_handles.h"

namespace rtw::worksafe {

struct SchemaSet::Compiled {
  std::shared_ptr<const SchemaModel> model;
  // Only read after load(): libxml2 allows one compiled schema to serve
  // several validation contexts on several threads.
  detail::XmlSchemaPtr schema;
};

}  // namespace rtw::worksafe
