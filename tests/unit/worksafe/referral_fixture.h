#pragma once
// Shared pieces of the WorkSafe tests: the real XSDs from mappings/worksafe,
// a complete valid Referral as (path, value) pairs, and a temp dir.

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rtw/worksafe/document.h"
#include "rtw/worksafe/schema.h"

namespace rtw::worksafe::test {

using Field = std::pair<std::string, std::string>;

std::filesystem::path schemaDir();

// Loaded once for the whole test binary.
std::shared_ptr<const SchemaSet> schemas();

// Every element of the Referral schema, with values that satisfy the XSD.
const std::vector<Field>& fullReferral();

// A Referral from fields, failing the test on any set() problem.
Document buildReferral(const std::vector<Field>& fields);

// fullReferral() without the paths in `skip` and with `overrides` applied.
std::vector<Field> referralFields(const std::set<std::string>& skip = {},
                                  const std::vector<Field>& overrides = {});

// Validates XML as a Referral with the shared schemas.
std::vector<Problem> validateReferral(const std::string& xml);

// One line per problem, for failure messages.
std::string describe(const std::vector<Problem>& problems);

// The full Referral's XML with the first `from` replaced by `to`.
std::string referralXmlWith(const std::string& from, const std::string& to);

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const;
  void copySchema(const std::string& name) const;

 private:
  std::filesystem::path path_;
};

}  // namespace rtw::worksafe::test
