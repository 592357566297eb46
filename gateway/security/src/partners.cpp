#include "rtw/security/partners.h"

#include "rtw/hl7v2/charset.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace rtw::security {
namespace {

const std::set<std::string> kKnownKeys = {
    "id",         "name",    "certificateSubject", "plugin",   "board", "channels",
    "facilities", "charset", "deliveryOrder",      "mappings", "ignore"};

bool isCodeCharacter(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// "ADT^A08" or "ADT^*": a message code and a trigger event (or any).
bool isIgnorableType(const std::string& type) {
  const auto caret = type.find('^');
  if (caret != 3 || !std::all_of(type.begin(), type.begin() + 3, isCodeCharacter)) {
    return false;
  }
  const std::string event = type.substr(4);
  return event == "*" ||
         (event.size() == 3 && std::all_of(event.begin(), event.end(), isCodeCharacter));
}

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw std::runtime_error("partner config " + file.string() + ": " + what);
}

std::string requiredString(const rapidjson::Value& object, const char* key,
                           const std::filesystem::path& file) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0) {
    fail(file, std::string("key '") + key + "' must be a non-empty string");
  }
  return it->value.GetString();
}

std::vector<std::string> stringList(const rapidjson::Value& object, const char* key,
                                    const std::filesystem::path& file) {
  std::vector<std::string> values;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) {
    return values;
  }
  if (!it->value.IsArray()) {
    fail(file, std::string("key '") + key + "' must be a list of strings");
  }
  for (const auto& item : it->value.GetArray()) {
    if (!item.IsString()) {
      fail(file, std::string("key '") + key + "' must be a list of strings");
    }
    values.emplace_back(item.GetString());
  }
  return values;
}

Partner parsePartner(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document json;
  json.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(
      text.str().c_str());
  if (json.HasParseError()) {
    fail(file, std::string("not valid JSON at offset ") + std::to_string(json.GetErrorOffset()) +
                   ": " + rapidjson::GetParseError_En(json.GetParseError()));
  }
  if (!json.IsObject()) {
    fail(file, "must hold one JSON object");
  }
  for (const auto& member : json.GetObject()) {
    if (kKnownKeys.count(member.name.GetString()) == 0) {
      fail(file, std::string("unknown key '") + member.name.GetString() + "'");
    }
  }
  Partner partner;
  partner.id = requiredString(json, "id", file);
  if (partner.id != file.stem().string()) {
    fail(file, "key 'id' must equal the file name ('" + file.stem().string() + "')");
  }
  partner.name = requiredString(json, "name", file);
  partner.certificate_cn = requiredString(json, "certificateSubject", file);
  partner.plugin = requiredString(json, "plugin", file);
  partner.board = requiredString(json, "board", file);
  if (partner.board != "WSBC" && partner.board != "WSIB") {
    fail(file, "key 'board' must be WSBC or WSIB");
  }
  partner.channels = stringList(json, "channels", file);
  for (const auto& channel : partner.channels) {
    if (std::find_if(std::begin(kChannels), std::end(kChannels),
                     [&](const char* known) { return channel == known; }) == std::end(kChannels)) {
      fail(file, "key 'channels' names '" + channel + "'; the channels are mllp, fhir and files");
    }
  }
  partner.ignore = stringList(json, "ignore", file);
  for (const auto& type : partner.ignore) {
    if (!isIgnorableType(type)) {
      fail(file, "key 'ignore' holds '" + type +
                     "'; each entry is a message type such as ADT^A08, or ADT^* for all its "
                     "events");
    }
  }
  partner.facilities = stringList(json, "facilities", file);
  if (partner.facilities.empty()) {
    fail(file, "key 'facilities' must list the MSH-4 facility ids this partner sends as");
  }
  if (json.HasMember("charset")) {
    partner.charset = requiredString(json, "charset", file);
    if (!hl7v2::charsetFromName(partner.charset)) {
      fail(file,
           "key 'charset' must be an HL7 character set we read (ASCII, 8859/1, UNICODE UTF-8)");
    }
  }
  if (json.HasMember("deliveryOrder")) {
    const std::string order = requiredString(json, "deliveryOrder", file);
    if (order == "none") {
      partner.delivery_order = DeliveryOrder::kNone;
    } else if (order == "partner") {
      partner.delivery_order = DeliveryOrder::kPartner;
    } else if (order == "claim") {
      partner.delivery_order = DeliveryOrder::kClaim;
    } else {
      fail(file, "key 'deliveryOrder' must be none, partner or claim");
    }
  }
  if (json.HasMember("mappings")) {
    partner.mappings = requiredString(json, "mappings", file);
    if (partner.mappings.find('/') != std::string::npos || partner.mappings.find("..") == 0) {
      fail(file, "key 'mappings' names one folder under the mappings directory");
    }
  }
  return partner;
}

}  // namespace

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

PartnerRegistry PartnerRegistry::load(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error("partner directory not found: " + dir.string());
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
    Partner partner = parsePartner(file);
    if (registry.by_subject_.count(partner.certificate_cn) != 0) {
      fail(file, "certificateSubject '" + partner.certificate_cn +
                     "' is already bound to partner '" +
                     registry.by_subject_[partner.certificate_cn] + "'");
    }
    registry.by_subject_[partner.certificate_cn] = partner.id;
    registry.partners_.emplace(partner.id, std::move(partner));
  }
  return registry;
}

const Partner* PartnerRegistry::byCertificate(const std::string& common_name) const {
  auto it = by_subject_.find(common_name);
  return it == by_subject_.end() ? nullptr : byId(it->second);
}

const Partner* PartnerRegistry::byId(const std::string& id) const {
  auto it = partners_.find(id);
  return it == partners_.end() ? nullptr : &it->second;
}

bool usesChannel(const Partner& partner, std::string_view channel) {
  return std::find(partner.channels.begin(), partner.channels.end(), channel) !=
         partner.channels.end();
}

bool ignores(const Partner& partner, std::string_view message_type) {
  const std::string_view code = message_type.substr(0, message_type.find('^'));
  return std::any_of(partner.ignore.begin(), partner.ignore.end(), [&](const std::string& entry) {
    return entry == message_type ||
           (entry.size() == 5 && entry.compare(3, 2, "^*") == 0 && entry.compare(0, 3, code) == 0);
  });
}

bool sendsAs(const Partner& partner, const std::string& facility) {
  return std::find(partner.facilities.begin(), partner.facilities.end(), facility) !=
         partner.facilities.end();
}

}  // namespace rtw::security
