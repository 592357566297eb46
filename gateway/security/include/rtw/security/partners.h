#pragma once
// The partner registry (conf/partners/*.json) and the binding of a client
// certificate to exactly one partner (DESIGN.md, guarantee 4).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::security {

/// Which of a partner's documents reach the board in the order of their
/// messages: none (the default: as soon as each is ready), all of them, or
/// those for the same claim (other claims are not held up).
enum class DeliveryOrder { kNone, kPartner, kClaim };

struct Partner {
  std::string id;                     // file name and journal key, e.g. "clinic01"
  std::string name;                   // for operators
  std::string certificate_cn;         // the client certificate's subject CN
  std::string plugin;                 // plugin library name under plugins/
  std::string board;                  // WSBC | WSIB
  std::vector<std::string> channels;  // "mllp", "fhir", "files": where it may send from
  /// Message types it sends that the board does not want ("ADT^A08", or
  /// "ADT^*" for every event of a code): accepted, answered AA, journaled as
  /// ignored, never translated.
  std::vector<std::string> ignore;
  std::vector<std::string> facilities;  // MSH-4.1 values this partner may send as
  std::string charset;                  // HL7 table 0211 name overriding MSH-18, or ""
  DeliveryOrder delivery_order = DeliveryOrder::kNone;
  std::string mappings;  // its mapping folder under mappings.dir, or ""
};

/// The outbox order key of a partner's document (store::OutboundDocument).
std::string deliveryOrderKey(const Partner& partner, const std::string& claim_number);

class PartnerRegistry {
 public:
  /// Reads every *.json in `dir`. Strict: an unknown key, a missing required
  /// key, a duplicate id or certificate subject fails with the file and key.
  static PartnerRegistry load(const std::filesystem::path& dir);

  /// The partner a certificate subject CN is bound to.
  const Partner* byCertificate(const std::string& common_name) const;
  const Partner* byId(const std::string& id) const;
  const std::map<std::string, Partner>& all() const { return partners_; }

 private:
  std::map<std::string, Partner> partners_;        // by id
  std::map<std::string, std::string> by_subject_;  // CN → id
};

/// True when the partner may send as this facility (MSH-4.1).
bool sendsAs(const Partner& partner, const std::string& facility);

/// The channels a partner file may name.
inline constexpr const char* kChannels[] = {"mllp", "fhir", "files"};

/// True when the partner's file lists the channel ("mllp", ...): every
/// listener asks before it takes anything from the partner.
bool usesChannel(const Partner& partner, std::string_view channel);

/// True when the partner's `ignore` list holds the message type ("ADT^A08")
/// or its code with "*" ("ADT^*").
bool ignores(const Partner& partner, std::string_view message_type);

}  // namespace rtw::security
