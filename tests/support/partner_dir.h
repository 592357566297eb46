#pragma once
// A throw-away partner folder for the registry's tests.

#include <filesystem>
#include <fstream>
#include <string>

#include <Poco/TemporaryFile.h>

namespace rtw::security::testing {

struct PartnerDir {
  std::filesystem::path dir = Poco::TemporaryFile::tempName();
  PartnerDir() { std::filesystem::create_directories(dir); }
  ~PartnerDir() { std::filesystem::remove_all(dir); }
  PartnerDir(const PartnerDir&) = delete;
  PartnerDir& operator=(const PartnerDir&) = delete;

  void write(const std::string& id, const std::string& json) const {
    std::ofstream(dir / (id + ".json")) << json;
  }
  std::string file(const std::string& id) const { return (dir / (id + ".json")).string(); }
};

/// A partner file on one line: id, name, a commonName certificate (`cn`,
/// default "<id>.test"), the generic plugin and (unless `with_board` is
/// false) board WSBC, then `extra` (", \"mllp\": {...}").
inline std::string partnerJson(const std::string& id, const std::string& extra = "",
                               const std::string& cn = "", bool with_board = true) {
  return "{\"id\": \"" + id + "\", \"name\": \"N\", \"certificates\": [{\"commonName\": \"" +
         (cn.empty() ? id + ".test" : cn) + "\"}], \"plugin\": \"generic\"" +
         (with_board ? ", \"board\": \"WSBC\"" : "") + extra + "}";
}

}  // namespace rtw::security::testing
