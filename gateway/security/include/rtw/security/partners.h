#pragma once
// The partner registry (conf/partners/*.json): who each partner is (the
// certificates it presents), what it may send over each channel, and its
// plugin. Binding a client certificate to exactly one partner is in
// binding.h (DESIGN.md, guarantee 4).
//
// A partner lists only the channels it uses, as sections of its file:
// "mllp", "fhir", "files". Those sections are its channels; a listener
// refuses a partner whose file has no section for it.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rtw/config/json.h"

namespace rtw::security {

/// Which of a partner's documents reach the board in the order of their
/// messages: none (the default: as soon as each is ready), all of them, or
/// those for the same claim (other claims are not held up).
enum class DeliveryOrder { kNone, kPartner, kClaim };

/// One way a partner's client certificate is recognised ("certificates").
struct CertificateMatcher {
  enum class Kind { kCommonName, kDns, kUri, kEmail, kSha256 };
  Kind kind = Kind::kCommonName;
  /// As compared: DNS names and e-mail addresses in lower case, a SHA-256
  /// fingerprint as upper-case hex pairs with colons ("AB:CD:...").
  std::string value;
  int line = 0;  // in its partner's file
};

/// "commonName", "dns", "uri", "email", "sha256": the key in the file.
std::string_view keyOf(CertificateMatcher::Kind kind);
/// "dns harbour-physio.example" for messages and rtwctl.
std::string describe(const CertificateMatcher& matcher);

/// "mllp": HL7 v2 over MLLP/TLS.
struct MllpChannel {
  std::vector<std::string> facilities;  // MSH-4.1 values this partner may send as
  /// MSH-3.1 values its EMR sends as (optional: empty takes any application).
  std::vector<std::string> applications;
  std::string charset;  // HL7 table 0211 name overriding MSH-18, or ""
  /// Message types it sends that the board does not want ("ADT^A08", or
  /// "ADT^*" for every event of a code): accepted, answered AA, journaled as
  /// ignored, never translated.
  std::vector<std::string> ignore;
};

struct FhirOrganization {
  std::string system;  // the identifier's system (a URI)
  std::string value;
  int line = 0;  // in its partner's file
};

/// "fhir": FHIR R4 over HTTPS (the endpoint comes with its issue).
struct FhirChannel {
  std::vector<FhirOrganization> organizations;  // the Organizations it may send for
};

/// "files": college exports, uploaded or dropped (the intake comes with its issue).
struct FilesChannel {
  std::string college_code;
  std::string drop_folder;  // "" when it only uploads
  char csv_delimiter = ',';
  std::string csv_encoding = "utf-8";  // or "windows-1252"
};

struct Partner {
  std::string id;                                // file name and journal key, e.g. "clinic01"
  std::string name;                              // for operators
  std::filesystem::path file;                    // where it was read from, for messages
  std::vector<CertificateMatcher> certificates;  // one, or two while a certificate is rotated
  std::string plugin;                            // plugin library name under plugins/
  std::string board;                             // WSBC | WSIB
  DeliveryOrder delivery_order = DeliveryOrder::kNone;
  std::string mappings;  // its mapping folder under mappings.dir, or ""
  std::optional<MllpChannel> mllp;
  std::optional<FhirChannel> fhir;
  std::optional<FilesChannel> files;
  /// "settings" as written (an object; null, on the line of the partner's
  /// object, when absent): its plugin's own keys, checked against the
  /// plugin's SettingSpecs when the plugin is known (plugin/settings.h).
  config::JsonValue settings;
};

/// The outbox order key of a partner's document (store::OutboundDocument).
std::string deliveryOrderKey(const Partner& partner, const std::string& claim_number);

/// The channels a partner file may have, in this order.
inline constexpr const char* kChannels[] = {"mllp", "fhir", "files"};

/// The channels of its file ("mllp", "fhir", "files": the sections it has).
std::vector<std::string> channelsOf(const Partner& partner);
/// True when the partner's file has the channel's section: every listener
/// asks (through bindPartner) before it takes anything from the partner.
bool usesChannel(const Partner& partner, std::string_view channel);

/// True when the partner may send as this facility (MSH-4.1).
bool sendsAs(const Partner& partner, const std::string& facility);
/// Whether MSH-3.1 `application` is one the partner listed (any, when it listed none).
bool sendsFrom(const Partner& partner, const std::string& application);

/// True when the partner's mllp `ignore` list holds the message type
/// ("ADT^A08") or its code with "*" ("ADT^*").
bool ignores(const Partner& partner, std::string_view message_type);

class PartnerRegistry {
 public:
  /// Reads every *.json in `dir`. Strict: an unknown key, a missing
  /// required key, a value of the wrong type, a duplicate id or a
  /// certificate matcher bound to two partners fails with
  /// config::ConfigError ("FILE: line N: ...").
  static PartnerRegistry load(const std::filesystem::path& dir);

  const Partner* byId(const std::string& id) const;
  const std::map<std::string, Partner>& all() const { return partners_; }
  /// The partner bound to a matcher (kind and compared value), or nullptr.
  const Partner* byMatcher(const CertificateMatcher& matcher) const;

 private:
  std::map<std::string, Partner> partners_;                                             // by id
  std::map<std::pair<CertificateMatcher::Kind, std::string>, std::string> by_matcher_;  // → id
};

/// Reads one partner file (what PartnerRegistry::load does for each).
Partner readPartnerFile(const std::filesystem::path& file);

/// The registry in force while the gateway runs: a reload replaces it whole.
/// Whoever reads it keeps the snapshot it got for as long as it uses its
/// partners (a message in flight keeps the partner it started with).
class LivePartnerRegistry {
 public:
  explicit LivePartnerRegistry(std::shared_ptr<const PartnerRegistry> registry);

  std::shared_ptr<const PartnerRegistry> current() const;
  /// Goes up by one at each replace(): a reader compares it to the one of
  /// its snapshot before it takes the lock.
  std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }
  void replace(std::shared_ptr<const PartnerRegistry> registry);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const PartnerRegistry> registry_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace rtw::security
