// Strict objects of a configuration file: unknown keys name the allowed
// ones, missing keys the line of the object, wrong types the key and what
// was found.

#include <catch2/catch.hpp>

#include "rtw/config/object.h"

using namespace rtw::config;

namespace {

const char* const kFile = "conf/partners/p1.json";

// Runs `read` on the parsed text; the error it fails with.
template <typename Read>
std::string errorOf(const std::string& text, Read read) {
  const JsonValue root = parseJson(text, kFile);
  try {
    read(root);
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("read without an error: " << text);
  return {};
}

}  // namespace

TEST_CASE("an unknown key is named with its line and the keys the object allows") {
  const std::string text = "{\n  \"id\": \"p1\",\n  \"colour\": \"blue\"\n}";
  CHECK(errorOf(text, [](const JsonValue& root) {
          Object(root, "", kFile, {"id", "name"});
        }) == std::string(kFile) + ": line 3: unknown key 'colour' (allowed: id, name)");
  CHECK(errorOf("{\"mllp\": {\"facility\": []}}",
                [](const JsonValue& root) {
                  Object(root, "", kFile, {"mllp"}).object("mllp", {"facilities", "charset"});
                }) == std::string(kFile) +
                          ": line 1: unknown key 'mllp.facility' (allowed: facilities, charset)");
  CHECK(errorOf("{\"a\": 1}", [](const JsonValue& root) { Object(root, "", kFile, {}); }) ==
        std::string(kFile) + ": line 1: unknown key 'a' (this object takes no keys)");
}

TEST_CASE("a missing key names the line of the object that lacks it") {
  const std::string text = "// p1\n\n{\n  \"name\": \"N\"\n}";
  CHECK(errorOf(text, [](const JsonValue& root) {
          Object(root, "", kFile, {"id", "name"}).string("id");
        }) == std::string(kFile) + ": line 3: 'id' is required");
}

TEST_CASE("a value of the wrong type names its key and what it is") {
  auto read = [](const char* text, auto get) {
    return errorOf(text, [&](const JsonValue& root) { get(Object(root, "", kFile, {"k", "o"})); });
  };
  const std::string at = std::string(kFile) + ": line 1: ";
  CHECK(read("{\"k\": 5}", [](const Object& o) { o.string("k"); }) ==
        at + "'k' must be a non-empty string, not a number");
  CHECK(read("{\"k\": \"\"}", [](const Object& o) { o.string("k"); }) ==
        at + "'k' must be a non-empty string");
  CHECK(read("{\"k\": \"5\"}", [](const Object& o) { o.integer("k", 1, 9); }) ==
        at + "'k' must be a whole number from 1 to 9, not a string");
  CHECK(read("{\"k\": 2.5}", [](const Object& o) { o.integer("k", 1, 9); }) ==
        at + "'k' must be a whole number from 1 to 9");
  CHECK(read("{\"k\": 10}", [](const Object& o) { o.integer("k", 1, 9); }) ==
        at + "'k' must be a whole number from 1 to 9");
  CHECK(read("{\"k\": \"yes\"}", [](const Object& o) { o.boolean("k", false); }) ==
        at + "'k' must be true or false, not a string");
  CHECK(read("{\"k\": [\"a\", 1]}", [](const Object& o) { o.strings("k"); }) ==
        at + "'k' must be a list of non-empty strings (an entry is a number)");
  CHECK(read("{\"k\": \"a\"}", [](const Object& o) { o.strings("k"); }) ==
        at + "'k' must be a list, not a string");
  CHECK(read("{\"o\": []}", [](const Object& o) { o.object("o", {}); }) ==
        at + "'o' must be an object, not a list");
  CHECK(read("{\"o\": 1}", [](const Object& o) { o.entries("o"); }) ==
        at + "'o' must be an object, not a number");
  CHECK(read("{\"o\": {\"\": 1}}", [](const Object& o) { o.entries("o"); }) ==
        at + "'o' has an empty key");
}

TEST_CASE("values read back as written, absent optional keys as nothing") {
  const JsonValue root = parseJson(
      "{\"s\": \"x\", \"n\": -3, \"b\": true, \"l\": [\"a\", \"b\"], \"o\": {\"k\": \"v\"}, "
      "\"z\": null}",
      kFile);
  const Object object(root, "", kFile, {"s", "n", "b", "l", "o", "z", "absent"});
  CHECK(object.string("s") == "x");
  CHECK(object.integer("n", -5, 5) == -3);
  CHECK(object.boolean("b", false));
  CHECK(object.boolean("absent", true));
  CHECK(object.strings("l") == std::vector<std::string>{"a", "b"});
  CHECK(object.strings("absent").empty());
  CHECK_FALSE(object.optionalString("absent"));
  CHECK_FALSE(object.has("z"));  // null reads as absent
  CHECK_FALSE(object.optionalObject("absent", {}));
  REQUIRE(object.optionalObject("o", {"k"}));
  CHECK(object.optionalObject("o", {"k"})->string("k") == "v");
  CHECK(object.entries("o").size() == 1);
  CHECK(object.keyPath("o") == "o");
  CHECK(object.object("o", {"k"}).keyPath("k") == "o.k");
}

TEST_CASE("an entry of a code list is named with its own line") {
  const std::string text = "{\"codes\": {\n  \"A\": \"ok\",\n  \"B\": 1\n}}";
  CHECK(errorOf(text, [](const JsonValue& root) {
          Object(root, "", kFile, {"codes"}).failEntry("codes", "B", "must be a description");
        }) == std::string(kFile) + ": line 3: 'codes.B' must be a description");
}

TEST_CASE("whole numbers: no fraction, no exponent, within int64") {
  CHECK(wholeNumber(parseJson("42", kFile)) == 42);
  CHECK(wholeNumber(parseJson("-9223372036854775808", kFile)) == INT64_MIN);
  CHECK_FALSE(wholeNumber(parseJson("9223372036854775808", kFile)));
  CHECK_FALSE(wholeNumber(parseJson("1e3", kFile)));
  CHECK_FALSE(wholeNumber(parseJson("\"1\"", kFile)));
}
