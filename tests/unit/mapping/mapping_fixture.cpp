#include "mapping_fixture.h"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>

#include "rtw/hl7v2/message.h"

namespace rtw::mapping::testing {

std::shared_ptr<const worksafe::SchemaSet> schemas() {
  static const auto loaded = worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  return loaded;
}

MappingFolder::MappingFolder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "mapping-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  dir_ = pattern;
}

MappingFolder::~MappingFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::filesystem::path MappingFolder::write(const std::string& name, const std::string& text) const {
  const auto file = dir_ / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

std::shared_ptr<const MappingSet> MappingFolder::load() const {
  // The tests of single rules map a field or two: coverage of the XSD's
  // required elements has tests of its own (test_required_elements.cpp).
  return MappingSet::load(dir_, *schemas(), singleRuleOptions());
}

MappingOptions singleRuleOptions() {
  MappingOptions options;
  options.require_complete = false;
  return options;
}

std::string Mapped::findings() const {
  std::string text;
  for (const auto& finding : evaluation.findings) {
    text += format(finding) + "\n";
  }
  return text;
}

Mapped run(const std::string& mapping_json, const std::string& type, const std::string& hl7) {
  MappingFolder folder;
  folder.write("mapping.json", mapping_json);
  const auto set = folder.load();
  const MessageMapping* mapping = set->find(type);
  if (mapping == nullptr) {
    throw std::runtime_error("no mapping for " + type);
  }
  auto parsed = hl7v2::Message::parse(hl7);
  if (!parsed.message) {
    throw std::runtime_error("test message does not parse: " + parsed.error->message);
  }
  Mapped mapped{schemas()->newDocument(mapping->document), {}};
  mapped.evaluation = evaluate(*mapping, *set, Hl7Source(*parsed.message), mapped.document);
  return mapped;
}

std::string referralMapping(const std::string& fields, const std::string& extra) {
  return "{\n" + extra + "\"messages\": {\n\"REF^I12\": {\n\"document\": \"referral\",\n" +
         "\"fields\": {\n" + fields + "\n}\n}\n}\n}\n";
}

}  // namespace rtw::mapping::testing
