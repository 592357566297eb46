// Reading one partner file (conf/partners/<id>.json) strictly: every key is
// known here, and each problem names the file, the line and the key.

#include <algorithm>
#include <cctype>

#include "rtw/config/object.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/security/partners.h"

namespace rtw::security {
namespace {

using config::ConfigError;
using config::JsonValue;
using config::Object;

// Keys of the first partner file format, and where each went.
constexpr std::pair<std::string_view, std::string_view> kMovedKeys[] = {
    {"certificateSubject",
     "is no longer read: a partner lists its certificates, "
     "\"certificates\": [{\"commonName\": \"...\"}]"},
    {"channels",
     "is no longer read: a partner's channels are the sections its file has "
     "(\"mllp\", \"fhir\", \"files\")"},
    {"facilities", "moved into the \"mllp\" section: \"mllp\": {\"facilities\": [...]}"},
    {"charset", "moved into the \"mllp\" section: \"mllp\": {\"charset\": \"...\"}"},
    {"ignore", "moved into the \"mllp\" section: \"mllp\": {\"ignore\": [...]}"},
};

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

std::string lowerCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// "ab:cd:..." or "abcd...": 32 bytes of hex, as "AB:CD:..." (nothing when not).
std::optional<std::string> fingerprint(const std::string& text) {
  std::string hex;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ':' && i % 3 == 2) {
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return std::nullopt;
    }
    hex.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(text[i]))));
  }
  if (hex.size() != 64 || (text.find(':') != std::string::npos && text.size() != 95)) {
    return std::nullopt;
  }
  std::string pairs;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    pairs += (i == 0 ? "" : ":") + hex.substr(i, 2);
  }
  return pairs;
}

CertificateMatcher readMatcher(const JsonValue& json, const std::string& path,
                               const std::string& file) {
  const Object object(json, path, file, {"commonName", "dns", "uri", "email", "sha256"});
  if (json.members.size() != 1) {
    config::failAt(file, json.line, path,
                   "must name one of commonName, dns, uri, email or sha256 (one per entry)");
  }
  const std::string key = json.members.front().first;
  const std::string text = object.string(key);
  using Kind = CertificateMatcher::Kind;
  if (key == "commonName") {
    return {Kind::kCommonName, text, json.line};
  }
  if (key == "dns") {
    if (text.find_first_of(" /@") != std::string::npos) {
      object.fail(key, "must be a DNS name such as clinic.example.org");
    }
    return {Kind::kDns, lowerCase(text), json.line};
  }
  if (key == "uri") {
    if (text.find(':') == std::string::npos || text.find(' ') != std::string::npos) {
      object.fail(key, "must be a URI such as spiffe://rtw.test/partner/clinic01");
    }
    return {Kind::kUri, text, json.line};
  }
  if (key == "email") {
    if (text.find('@') == std::string::npos || text.find(' ') != std::string::npos) {
      object.fail(key, "must be an e-mail address");
    }
    return {Kind::kEmail, lowerCase(text), json.line};
  }
  const std::optional<std::string> sha256 = fingerprint(text);
  if (!sha256) {
    object.fail(key,
                "must be the certificate's SHA-256 fingerprint: 32 hex pairs such as \"AB:CD:...\" "
                "(openssl x509 -noout -fingerprint -sha256 -in CERT.pem)");
  }
  return {Kind::kSha256, *sha256, json.line};
}

std::vector<CertificateMatcher> readCertificates(const Object& partner) {
  const std::vector<const JsonValue*> entries = partner.array("certificates");
  if (entries.empty() || entries.size() > 2) {
    partner.fail("certificates", entries.empty()
                                     ? "must list the certificate this partner presents "
                                       "([{\"commonName\": \"...\"}], or dns, uri, email, sha256)"
                                     : "lists " + std::to_string(entries.size()) +
                                           " certificates; at most two (the current one and its "
                                           "successor while it is rotated)");
  }
  std::vector<CertificateMatcher> matchers;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string path = partner.keyPath("certificates") + "[" + std::to_string(i + 1) + "]";
    CertificateMatcher matcher = readMatcher(*entries[i], path, partner.file());
    for (const auto& earlier : matchers) {
      if (earlier.kind == matcher.kind && earlier.value == matcher.value) {
        config::failAt(partner.file(), entries[i]->line, path, "repeats " + describe(matcher));
      }
    }
    matchers.push_back(std::move(matcher));
  }
  return matchers;
}

MllpChannel readMllp(const Object& section) {
  MllpChannel mllp;
  mllp.facilities = section.strings("facilities");
  if (mllp.facilities.empty()) {
    section.fail("facilities", "must list the MSH-4 facility ids this partner sends as");
  }
  if (section.has("charset")) {
    mllp.charset = section.string("charset");
    if (!hl7v2::charsetFromName(mllp.charset)) {
      section.fail("charset",
                   "must be an HL7 character set we read (ASCII, 8859/1, UNICODE UTF-8), not '" +
                       mllp.charset + "'");
    }
  }
  mllp.ignore = section.strings("ignore");
  if (section.has("applications")) {
    mllp.applications = section.strings("applications");
    if (mllp.applications.empty()) {
      section.fail("applications",
                   "lists the MSH-3 applications this partner sends as; leave it out to take any");
    }
  }
  for (const auto& type : mllp.ignore) {
    if (!isIgnorableType(type)) {
      section.fail("ignore", "holds '" + type +
                                 "'; each entry is a message type such as ADT^A08, or ADT^* for "
                                 "all its events");
    }
  }
  return mllp;
}

FhirChannel readFhir(const Object& section) {
  FhirChannel fhir;
  const std::vector<const JsonValue*> organizations = section.array("organizations");
  if (organizations.empty()) {
    section.fail("organizations",
                 "must list the organizations this partner sends for "
                 "([{\"system\": \"...\", \"value\": \"...\"}])");
  }
  for (std::size_t i = 0; i < organizations.size(); ++i) {
    const Object organization(*organizations[i],
                              section.keyPath("organizations") + "[" + std::to_string(i + 1) + "]",
                              section.file(), {"system", "value"});
    fhir.organizations.push_back({organization.string("system"), organization.string("value")});
  }
  return fhir;
}

FilesChannel readFiles(const Object& section) {
  FilesChannel files;
  files.college_code = section.string("collegeCode");
  files.drop_folder = section.optionalString("dropFolder").value_or("");
  if (const auto csv = section.optionalObject("csv", {"delimiter", "encoding"})) {
    const std::string delimiter = csv->optionalString("delimiter").value_or(",");
    if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\n" || delimiter == "\r") {
      csv->fail("delimiter", "must be one character other than a quote or a line break");
    }
    files.csv_delimiter = delimiter.front();
    files.csv_encoding = csv->optionalString("encoding").value_or("utf-8");
    if (files.csv_encoding != "utf-8" && files.csv_encoding != "windows-1252") {
      csv->fail("encoding", "must be \"utf-8\" or \"windows-1252\"");
    }
  }
  return files;
}

void refuseMovedKeys(const JsonValue& json, const std::string& file) {
  if (!json.isObject()) {
    return;  // Object says what it must be
  }
  for (const auto& [key, value] : json.members) {
    for (const auto& [moved, where] : kMovedKeys) {
      if (key == moved) {
        throw ConfigError(file, value.line, "'" + key + "' " + std::string(where));
      }
    }
  }
}

DeliveryOrder readDeliveryOrder(const Object& partner) {
  const std::string order = partner.optionalString("deliveryOrder").value_or("none");
  if (order == "partner") {
    return DeliveryOrder::kPartner;
  }
  if (order == "claim") {
    return DeliveryOrder::kClaim;
  }
  if (order != "none") {
    partner.fail("deliveryOrder", "must be none, partner or claim");
  }
  return DeliveryOrder::kNone;
}

}  // namespace

Partner readPartnerFile(const std::filesystem::path& file) {
  const std::string name = file.string();
  const JsonValue json = config::readJsonFile(file);
  refuseMovedKeys(json, name);
  const Object object(json, "", name,
                      {"id", "name", "certificates", "plugin", "mappings", "board", "deliveryOrder",
                       "settings", "mllp", "fhir", "files"});
  Partner partner;
  partner.file = file;
  partner.id = object.string("id");
  if (partner.id != file.stem().string()) {
    object.fail("id", "must equal the file name ('" + file.stem().string() + "')");
  }
  partner.name = object.string("name");
  partner.certificates = readCertificates(object);
  partner.plugin = object.string("plugin");
  partner.board = object.string("board");
  if (partner.board != "WSBC" && partner.board != "WSIB") {
    object.fail("board", "must be WSBC or WSIB");
  }
  partner.delivery_order = readDeliveryOrder(object);
  if (object.has("mappings")) {
    partner.mappings = object.string("mappings");
    if (partner.mappings.find('/') != std::string::npos || partner.mappings.find("..") == 0) {
      object.fail("mappings", "names one folder under the mappings directory");
    }
  }
  if (const auto mllp =
          object.optionalObject("mllp", {"facilities", "applications", "charset", "ignore"})) {
    partner.mllp = readMllp(*mllp);
  }
  if (const auto fhir = object.optionalObject("fhir", {"organizations"})) {
    partner.fhir = readFhir(*fhir);
  }
  if (const auto files = object.optionalObject("files", {"collegeCode", "dropFolder", "csv"})) {
    partner.files = readFiles(*files);
  }
  partner.settings.line = json.line;  // absent: a required setting is missing from the partner
  if (const JsonValue* settings = object.find("settings"); settings != nullptr) {
    if (!settings->isObject()) {
      object.fail("settings", "must be an object of the plugin's settings, not " +
                                  std::string(config::kindName(settings->kind)));
    }
    partner.settings = *settings;
  }
  return partner;
}

}  // namespace rtw::security
