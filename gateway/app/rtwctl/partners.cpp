// rtwctl partners: the partner registry as the gateway reads it. `list`
// shows who each partner is and where it may send from; `bind` says which
// partner a certificate is, or why the gateway would refuse it.

#include <algorithm>
#include <iostream>

#include <Poco/Crypto/X509Certificate.h>

#include "cli.h"
#include "rtw/plugin/settings.h"
#include "rtw/security/binding.h"

namespace rtw::app::cli {
namespace {

std::string joined(const std::vector<std::string>& items, const std::string& none) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text.empty() ? none : text;
}

std::vector<std::vector<std::string>> rowsOf(const security::PartnerRegistry& registry) {
  std::vector<std::vector<std::string>> rows = {{"ID", "CHANNELS", "CERTIFICATES", "PLUGIN"}};
  for (const auto& [id, partner] : registry.all()) {
    std::vector<std::string> matchers;
    for (const auto& matcher : partner.certificates) {
      matchers.push_back(security::describe(matcher));
    }
    std::string plugin = partner.plugin;
    if (!partner.settings.members.empty()) {
      std::vector<std::string> keys;
      for (const auto& [key, value] : partner.settings.members) {
        keys.push_back(key);
      }
      plugin += " (settings: " + joined(keys, "") + ")";
    }
    rows.push_back(
        {id, joined(security::channelsOf(partner), "(none)"), joined(matchers, ""), plugin});
  }
  return rows;
}

int list(const Arguments& args) {
  // As the gateway loads it: every file strict, every plugin loaded and its settings checked.
  plugin::PluginHost plugins(args.value("plugins", "build/plugins"));
  const auto registry = plugin::loadPartners(args.value("partners", "conf/partners"), plugins);
  const auto rows = rowsOf(*registry);
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line +=
          i + 1 < row.size() ? row[i] + std::string(widths[i] - row[i].size() + 2, ' ') : row[i];
    }
    std::cout << line << "\n";
  }
  return kOk;
}

int bind(const Arguments& args) {
  if (args.files.size() != 3) {
    throw UsageError("partners bind needs CERT.pem and CHANNEL");
  }
  const std::string& channel = args.files[2];
  if (std::none_of(std::begin(security::kChannels), std::end(security::kChannels),
                   [&](const char* known) { return channel == known; })) {
    throw UsageError("CHANNEL is mllp, fhir or files, not '" + channel + "'");
  }
  const auto registry = security::PartnerRegistry::load(args.value("partners", "conf/partners"));
  const security::PeerIdentity peer =
      security::identityOf(Poco::Crypto::X509Certificate(args.files[1]));
  std::cout << "certificate: " << security::describe(peer) << "\n";
  const security::Binding binding = security::bindPartner(registry, peer, channel);
  std::cout << (binding.bound() ? "" : "refused: ") << binding.explain() << "\n";
  return binding.bound() ? kOk : kFailed;
}

}  // namespace

int runPartners(int argc, char** argv) {
  const Arguments args = parseArguments(argc, argv, 2, {"partners", "plugins"});
  if (!args.flags.empty()) {
    throw UsageError("unknown option --" + args.flags.front());
  }
  const std::string action = args.files.empty() ? "" : args.files.front();
  if (action == "list" && args.files.size() == 1) {
    return list(args);
  }
  if (action == "bind") {
    return bind(args);
  }
  throw UsageError(action.empty() ? "partners needs list or bind"
                                  : "partners " + action + ": unknown, or wrong arguments");
}

}  // namespace rtw::app::cli
