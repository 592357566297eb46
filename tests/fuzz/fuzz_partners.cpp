// The partner registry reader (conf/partners/*.json) on a file an engineer
// wrote. The input is written as <id>.json (the id it names, when it names
// one a file can carry) beside a copy of conf/partners/clinic01.json, and
// the folder is loaded. Problems must be config::ConfigError naming the
// file; a registry that loads binds each certificate matcher to its one
// partner, and its sections are consistent with its channels.

#include <filesystem>
#include <stdexcept>
#include <string>

#include "fuzz_support.h"
#include "rtw/security/binding.h"
#include "rtw/security/partners.h"

namespace {

namespace fs = std::filesystem;

// The value of the first "id" key, when it is a plain file stem.
std::string fileStem(std::string_view text) {
  const std::size_t key = text.find("\"id\"");
  const std::size_t open = key == std::string_view::npos ? key : text.find('"', key + 4);
  const std::size_t close = open == std::string_view::npos ? open : text.find('"', open + 1);
  if (close == std::string_view::npos || close - open - 1 == 0 || close - open - 1 > 64) {
    return "partner";
  }
  const std::string_view id = text.substr(open + 1, close - open - 1);
  for (char c : id) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_';
    if (!plain) {
      return "partner";
    }
  }
  return std::string(id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rtw::fuzz::asText(data, size);
  const fs::path dir = rtw::fuzz::scratchDir() / "partners";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(rtw::fuzz::sourceDir() / "conf/partners/clinic01.json", dir / "clinic01.json");
  const fs::path file = dir / (fileStem(text) + ".json");
  rtw::fuzz::writeFile(file, text);
  try {
    const auto registry = rtw::security::PartnerRegistry::load(dir);
    for (const auto& [id, partner] : registry.all()) {
      RTW_FUZZ_CHECK(registry.byId(id) == &partner);
      RTW_FUZZ_CHECK(!partner.certificates.empty() && partner.certificates.size() <= 2);
      for (const auto& matcher : partner.certificates) {
        RTW_FUZZ_CHECK(registry.byMatcher(matcher) == &partner);
      }
      if (partner.mllp) {
        RTW_FUZZ_CHECK(!partner.mllp->facilities.empty());
        RTW_FUZZ_CHECK(rtw::security::sendsAs(partner, partner.mllp->facilities.front()));
      }
      RTW_FUZZ_CHECK(rtw::security::usesChannel(partner, "mllp") == partner.mllp.has_value());
      // A certificate presenting the partner's first CN or DNS name binds to it.
      rtw::security::PeerIdentity peer;
      const auto& first = partner.certificates.front();
      if (first.kind == rtw::security::CertificateMatcher::Kind::kCommonName) {
        peer.common_name = first.value;
      } else if (first.kind == rtw::security::CertificateMatcher::Kind::kDns) {
        peer.dns.push_back(first.value);
      }
      if (!peer.common_name.empty() || !peer.dns.empty()) {
        const auto binding = rtw::security::bindPartner(registry, peer, "mllp");
        RTW_FUZZ_CHECK(binding.partner == &partner);
      }
      (void)rtw::security::deliveryOrderKey(partner, "12345678");
    }
  } catch (const rtw::config::ConfigError& error) {
    RTW_FUZZ_CHECK(std::string(error.what()).find(dir.string()) != std::string::npos);
  }
  return 0;
}
