#pragma once
// Mapping folders written for one test, loaded against the real XSDs, and
// run on HL7 messages given inline.

#include <filesystem>
#include <memory>
#include <string>

#include "rtw/mapping/evaluate.h"
#include "rtw/mapping/mapping.h"
#include "rtw/worksafe/schema.h"

namespace rtw::mapping::testing {

std::shared_ptr<const worksafe::SchemaSet> schemas();

/// Loading options for mappings of a rule or two: the XSD's required
/// elements need not all be written (test_required_elements.cpp checks that
/// the gateway's default insists on them).
MappingOptions singleRuleOptions();

/// A temporary folder removed at the end of the test.
class MappingFolder {
 public:
  MappingFolder();
  ~MappingFolder();
  MappingFolder(const MappingFolder&) = delete;
  MappingFolder& operator=(const MappingFolder&) = delete;

  /// Writes `text` to <folder>/<name> (subfolders made) and returns the path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;
  const std::filesystem::path& path() const { return dir_; }
  std::shared_ptr<const MappingSet> load() const;  // with singleRuleOptions()

 private:
  std::filesystem::path dir_;
};

/// The result of running one message mapping on one message.
struct Mapped {
  worksafe::Document document;
  Evaluation evaluation;
  std::string get(const std::string& path) const { return document.get(path).value_or(""); }
  /// The findings' messages joined, for CHECK_THAT.
  std::string findings() const;
};

/// Loads `mapping_json` as mapping.json of a fresh folder and runs the
/// mapping of `type` on `hl7` (segments separated by '\r' or '\n').
Mapped run(const std::string& mapping_json, const std::string& type, const std::string& hl7);

/// A mapping file with one message type and these fields (a JSON object body).
std::string referralMapping(const std::string& fields, const std::string& extra = "");

}  // namespace rtw::mapping::testing
