// The one JSON reader of the configuration files: what it accepts (comments,
// trailing commas), and every way a file fails, named "FILE: line N: ...".

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <Poco/TemporaryFile.h>

#include "rtw/config/file_stamps.h"
#include "rtw/config/json.h"

using namespace rtw::config;

namespace {

std::string errorOf(const std::string& text) {
  try {
    parseJson(text, "conf/p.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("parsed: " << text);
  return {};
}

}  // namespace

TEST_CASE("comments and trailing commas are allowed, and every value keeps its line") {
  const JsonValue root = parseJson(
      "// a partner\n{\n  \"id\": \"p1\", /* inline */\n  \"list\": [\n    1,\n    true,\n  "
      "],\n}\n",
      "p.json");
  REQUIRE(root.isObject());
  CHECK(root.line == 2);
  REQUIRE(root.members.size() == 2);
  CHECK(root.find("id")->text == "p1");
  CHECK(root.find("id")->line == 3);
  const JsonValue& list = *root.find("list");
  CHECK(list.line == 4);
  REQUIRE(list.items.size() == 2);
  CHECK(list.items[0].text == "1");
  CHECK(list.items[0].line == 5);
  CHECK(list.items[1].boolean);
  CHECK(list.items[1].line == 6);
  CHECK(root.find("other") == nullptr);
}

TEST_CASE("bad JSON names the file, the line and the column") {
  CHECK(errorOf("{\n  \"a\": 1\n  \"b\": 2\n}") ==
        "conf/p.json: line 3: not valid JSON at column 3: Missing a comma or '}' after an object "
        "member.");
  CHECK_THAT(errorOf(""), Catch::StartsWith("conf/p.json: line 1: not valid JSON"));
}

TEST_CASE("a key given twice is refused with its path and both lines") {
  CHECK(errorOf("{\n\"board\": \"WSBC\",\n\"board\": \"WSIB\"\n}") ==
        "conf/p.json: line 3: 'board' appears twice (first on line 2)");
  CHECK(errorOf("{\"mllp\": {\"facilities\": [],\n \"facilities\": []}}") ==
        "conf/p.json: line 2: 'mllp.facilities' appears twice (first on line 1)");
  CHECK(errorOf("{\"certificates\": [{\"dns\": \"a\"}, {\"dns\": \"a\", \"dns\": \"b\"}]}") ==
        "conf/p.json: line 1: 'certificates[2].dns' appears twice (first on line 1)");
  // The same key in two objects is fine.
  CHECK_NOTHROW(parseJson("{\"a\": {\"x\": 1}, \"b\": {\"x\": 1}}", "p.json"));
}

TEST_CASE("size and depth are capped before anything recurses") {
  std::string deep = "{\"a\": ";
  for (int i = 0; i < 40; ++i) {
    deep += "[";
  }
  CHECK(errorOf(deep) == "conf/p.json: line 1: JSON nests deeper than 32 levels");
  const std::string huge = "{\"a\": \"" + std::string(kMaxJsonBytes, 'x') + "\"}";
  CHECK(errorOf(huge) == "conf/p.json: line 1: the file is larger than 1048576 bytes");
}

TEST_CASE("a NUL byte does not hide the rest of the file") {
  CHECK(errorOf(std::string("{\"a\": 1}\n\0{\"b\": 2}", 18)) ==
        "conf/p.json: line 2: holds a NUL byte");
}

TEST_CASE("a file that cannot be read is named") {
  CHECK_THROWS_WITH(readJsonFile("/nonexistent/p.json"), "/nonexistent/p.json: cannot be read");
}

TEST_CASE("file stamps change when a file is edited, added or removed") {
  const std::filesystem::path dir = Poco::TemporaryFile::tempName();
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.json") << "{}";
  std::ofstream(dir / "notes.txt") << "ignored";
  const FileStamps first = stampFiles(dir, ".json");
  CHECK(first.size() == 1);
  CHECK(stampFiles(dir, ".json") == first);
  std::ofstream(dir / "a.json") << "{\"a\": 1}";  // another size
  const FileStamps edited = stampFiles(dir, ".json");
  CHECK(edited != first);
  std::ofstream(dir / "b.json") << "{}";
  CHECK(stampFiles(dir, ".json").size() == 2);
  std::filesystem::remove(dir / "b.json");
  CHECK(stampFiles(dir, ".json") == edited);
  CHECK(stampFiles(dir / "missing", ".json").empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("a value that starts a line is on that line, whatever its kind") {
  const JsonValue root = parseJson("[\n\"a\",\n12,\ntrue,\nnull,\n{},\n[]\n]", "p.json");
  REQUIRE(root.items.size() == 6);
  for (std::size_t i = 0; i < root.items.size(); ++i) {
    CHECK(root.items[i].line == static_cast<int>(i) + 2);
  }
}
