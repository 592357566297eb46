#include "rtw/security/partners.h"

#include <algorithm>

namespace rtw::security {

std::string_view keyOf(CertificateMatcher::Kind kind) {
  switch (kind) {
    case CertificateMatcher::Kind::kCommonName:
      return "commonName";
    case CertificateMatcher::Kind::kDns:
      return "dns";
    case CertificateMatcher::Kind::kUri:
      return "uri";
    case CertificateMatcher::Kind::kEmail:
      return "email";
    case CertificateMatcher::Kind::kSha256:
      return "sha256";
  }
  return "?";
}

std::string describe(const CertificateMatcher& matcher) {
  return std::string(keyOf(matcher.kind)) + " " + matcher.value;
}

std::string deliveryOrderKey(const Partner& partner, const std::string& claim_number) {
  switch (partner.delivery_order) {
    case DeliveryOrder::kNone:
      return "";
    case DeliveryOrder::kPartner:
      return partner.id;
    case DeliveryOrder::kClaim:
      return partner.id + "/" + claim_number;
  }
  return "";
}

std::vector<std::string> channelsOf(const Partner& partner) {
  std::vector<std::string> channels;
  for (const char* channel : kChannels) {
    if (usesChannel(partner, channel)) {
      channels.emplace_back(channel);
    }
  }
  return channels;
}

bool usesChannel(const Partner& partner, std::string_view channel) {
  return (channel == "mllp" && partner.mllp) || (channel == "fhir" && partner.fhir) ||
         (channel == "files" && partner.files);
}

bool sendsAs(const Partner& partner, const std::string& facility) {
  return partner.mllp && std::find(partner.mllp->facilities.begin(), partner.mllp->facilities.end(),
                                   facility) != partner.mllp->facilities.end();
}

bool sendsFrom(const Partner& partner, const std::string& application) {
  if (!partner.mllp) {
    return false;
  }
  const auto& listed = partner.mllp->applications;
  return listed.empty() || std::find(listed.begin(), listed.end(), application) != listed.end();
}

bool ignores(const Partner& partner, std::string_view message_type) {
  if (!partner.mllp) {
    return false;
  }
  const std::string_view code = message_type.substr(0, message_type.find('^'));
  const auto& ignore = partner.mllp->ignore;
  return std::any_of(ignore.begin(), ignore.end(), [&](const std::string& entry) {
    return entry == message_type ||
           (entry.size() == 5 && entry.compare(3, 2, "^*") == 0 && entry.compare(0, 3, code) == 0);
  });
}

PartnerRegistry PartnerRegistry::load(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw config::ConfigError(dir.string(), 0, "the partner directory is missing");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  PartnerRegistry registry;
  for (const auto& file : files) {
    Partner partner = readPartnerFile(file);
    for (std::size_t i = 0; i < partner.certificates.size(); ++i) {
      const CertificateMatcher& matcher = partner.certificates[i];
      const auto [bound, added] =
          registry.by_matcher_.emplace(std::pair(matcher.kind, matcher.value), partner.id);
      if (!added) {
        const Partner& other = registry.partners_.at(bound->second);
        throw config::ConfigError(file.string(), matcher.line,
                                  "'certificates[" + std::to_string(i + 1) + "]' " +
                                      describe(matcher) + " is already bound to partner '" +
                                      other.id + "' (" + other.file.string() +
                                      "): a certificate belongs to one partner");
      }
    }
    registry.partners_.emplace(partner.id, std::move(partner));
  }
  return registry;
}

const Partner* PartnerRegistry::byId(const std::string& id) const {
  auto it = partners_.find(id);
  return it == partners_.end() ? nullptr : &it->second;
}

const Partner* PartnerRegistry::byMatcher(const CertificateMatcher& matcher) const {
  auto it = by_matcher_.find({matcher.kind, matcher.value});
  return it == by_matcher_.end() ? nullptr : byId(it->second);
}

LivePartnerRegistry::LivePartnerRegistry(std::shared_ptr<const PartnerRegistry> registry)
    : registry_(std::move(registry)) {}

std::shared_ptr<const PartnerRegistry> LivePartnerRegistry::current() const {
  std::lock_guard lock(mutex_);
  return registry_;
}

void LivePartnerRegistry::replace(std::shared_ptr<const PartnerRegistry> registry) {
  std::lock_guard lock(mutex_);
  registry_ = std::move(registry);
  generation_.fetch_add(1, std::memory_order_release);
}

}  // namespace rtw::security
