#pragma once
// The real WorkSafe XSDs (mappings/worksafe), loaded once per fuzz run.

#include <memory>

#include "fuzz_support.h"
#include "rtw/worksafe/schema.h"

namespace rtw::fuzz {

inline const worksafe::SchemaSet& schemas() {
  static const std::shared_ptr<const worksafe::SchemaSet> set =
      worksafe::SchemaSet::load(sourceDir() / "mappings" / "worksafe");
  return *set;
}

}  // namespace rtw::fuzz
