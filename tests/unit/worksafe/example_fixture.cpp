#include "example_fixture.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

namespace rtw::worksafe::test {
namespace {

using Element = SchemaModel::Element;

void collect(const Document::Node& node, const Element& model, const std::string& prefix,
             std::vector<Field>& fields) {
  std::map<std::string, std::size_t> seen;
  for (const Document::Node& child : node.children) {
    const auto found = std::find_if(model.children.begin(), model.children.end(),
                                    [&](const Element& e) { return e.name == child.name; });
    REQUIRE(found != model.children.end());
    const std::size_t index = ++seen[child.name];
    std::string step = child.name;
    if (found->max_occurs != 1) {
      step += "[" + std::to_string(index) + "]";
    }
    const std::string path = prefix.empty() ? step : prefix + "/" + step;
    if (found->children.empty()) {
      fields.emplace_back(path, child.value);
    } else {
      collect(child, *found, path, fields);
    }
  }
}

bool removed(const std::string& path, const std::set<std::string>& remove) {
  return std::any_of(remove.begin(), remove.end(), [&](const std::string& prefix) {
    return path == prefix || path.rfind(prefix + "/", 0) == 0;
  });
}

std::string describeExpected(const std::vector<Expected>& expected) {
  std::string text;
  for (const auto& item : expected) {
    text += format(Problem{item.severity, item.path, item.message}) + " [" + item.code + "]\n";
  }
  return text;
}

std::string describeWithCodes(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& problem : problems) {
    text += format(problem) + " [" + problem.code + "]\n";
  }
  return text;
}

}  // namespace

std::filesystem::path dataDir() {
  return std::filesystem::path(RTW_SOURCE_DIR) / "tests" / "data" / "worksafe";
}

std::filesystem::path boardsDir() {
  return std::filesystem::path(RTW_SOURCE_DIR) / "conf" / "boards";
}

std::shared_ptr<const BoardProfiles> profiles() {
  static const std::shared_ptr<const BoardProfiles> loaded = BoardProfiles::load(boardsDir());
  return loaded;
}

Date exampleToday() { return *Date::parse("2025-06-30"); }

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> exampleNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dataDir())) {
    if (entry.path().extension() == ".xml") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string example(const std::string& name) { return readText(dataDir() / name); }

std::vector<Field> fieldsOf(const Document& document) {
  std::vector<Field> fields;
  collect(document.root(), schemas()->model(document.type())->root, "", fields);
  return fields;
}

std::string variant(const std::string& name, const std::set<std::string>& remove,
                    const std::vector<Field>& set) {
  const Document original = schemas()->read(example(name));
  Document document = schemas()->newDocument(original.type());
  for (const auto& [path, value] : fieldsOf(original)) {
    if (!removed(path, remove)) {
      REQUIRE_FALSE(document.set(path, value).has_value());
    }
  }
  for (const auto& [path, value] : set) {
    const auto problem = document.set(path, value);
    INFO(path);
    REQUIRE_FALSE(problem.has_value());
  }
  return document.toXml();
}

std::vector<Problem> check(const std::string& xml) {
  return validateDocument(*schemas(), *profiles(), xml, exampleToday());
}

void requireProblems(const std::string& xml, const std::vector<Expected>& expected) {
  const auto problems = check(xml);
  INFO("expected:\n" << describeExpected(expected) << "got:\n" << describeWithCodes(problems));
  REQUIRE(problems.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(problems[i].severity == expected[i].severity);
    CHECK(problems[i].code == expected[i].code);
    CHECK(problems[i].path == expected[i].path);
    CHECK(problems[i].message == expected[i].message);
  }
}

void requireOnly(const std::string& xml, const Expected& expected) {
  requireProblems(xml, {expected});
}

}  // namespace rtw::worksafe::test
