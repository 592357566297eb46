#include "referral_fixture.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include <unistd.h>

namespace rtw::worksafe::test {

std::filesystem::path schemaDir() {
  return std::filesystem::path(RTW_SOURCE_DIR) / "mappings" / "worksafe";
}

std::shared_ptr<const SchemaSet> schemas() {
  static const std::shared_ptr<const SchemaSet> loaded = SchemaSet::load(schemaDir());
  return loaded;
}

const std::vector<Field>& fullReferral() {
  static const std::vector<Field> fields = {
      {"header/documentId", "0f8fad5b-d9cb-469f-a165-70867728950e"},
      {"header/board", "WSBC"},
      {"header/program", "CRRTW"},
      {"header/claimNumber", "12345678"},
      {"header/sourcePartner", "clinic01"},
      {"header/sourceMessageId", "MSG0001"},
      {"header/createdAt", "2025-03-01T10:15:00-08:00"},
      {"referralId", "REF-0001"},
      {"referralDate", "2025-03-01"},
      {"status", "DECLINED"},
      {"statusReason/code", "NO_CAPACITY"},
      {"statusReason/comment", "No openings before April"},
      {"worker/family", "Doe"},
      {"worker/given", "Jane"},
      {"worker/birthDate", "1980-01-01"},
      {"worker/gender", "F"},
      {"worker/healthNumber/jurisdiction", "BC"},
      {"worker/healthNumber/value", "9698658215"},
      {"worker/healthNumber/versionCode", "AB"},
      {"worker/address/line[1]", "1 Main St"},
      {"worker/address/line[2]", "Unit 5"},
      {"worker/address/city", "Vancouver"},
      {"worker/address/province", "BC"},
      {"worker/address/postalCode", "V5K 0A1"},
      {"worker/address/country", "CA"},
      {"worker/phone", "604-555-0100"},
      {"dateOfInjury", "2025-01-15"},
      {"injury[1]/bodyPart", "lumbar spine"},
      {"injury[1]/side", "B"},
      {"injury[1]/nature", "Sprain"},
      {"injury[1]/diagnosisCode", "S33.5"},
      {"injury[1]/diagnosisSystem", "ICD-10-CA"},
      {"injury[2]/bodyPart", "shoulder"},
      {"injury[2]/side", "R"},
      {"injury[2]/nature", "Strain"},
      {"injury[2]/diagnosisCode", "S46.0"},
      {"injury[2]/diagnosisSystem", "ICD-10-CA"},
      {"employer/name", "Acme Movers"},
      {"employer/contact", "Pat Lee"},
      {"employer/phone", "604-555-0199"},
      {"requester/name", "Morgan Case"},
      {"requester/role", "case manager"},
      {"requester/phone", "604-555-0142"},
      {"requester/email", "morgan.case@example.org"},
      {"provider/name", "Harbour Physiotherapy"},
      {"provider/payeeNumber", "PY1234"},
      {"provider/location", "Vancouver"},
      {"authorization/authId", "AUTH998877"},
      {"authorization/authorizedVisits", "12"},
      {"authorization/start", "2025-03-01"},
      {"authorization/end", "2025-05-31"},
      {"service[1]/feeCode", "CRRTW-ADM"},
      {"service[1]/description", "Admission assessment"},
      {"service[2]/feeCode", "CRRTW-TRT"},
      {"service[2]/description", "Treatment session"},
      {"appointment", "2025-03-05T09:00:00-08:00"},
      {"notes", "Lifting boxes & twisting <see ACC>"},
  };
  return fields;
}

Document buildReferral(const std::vector<Field>& fields) {
  Document document = schemas()->newDocument(DocumentType::kReferral);
  for (const auto& [path, value] : fields) {
    const auto problem = document.set(path, value);
    INFO(path);
    REQUIRE_FALSE(problem.has_value());
  }
  return document;
}

std::vector<Field> referralFields(const std::set<std::string>& skip,
                                  const std::vector<Field>& overrides) {
  std::vector<Field> fields;
  for (const Field& field : fullReferral()) {
    if (skip.count(field.first) == 0) {
      fields.push_back(field);
    }
  }
  for (const Field& override_field : overrides) {
    fields.push_back(override_field);  // set() later in the list wins
  }
  return fields;
}

std::vector<Problem> validateReferral(const std::string& xml) {
  return schemas()->validate(DocumentType::kReferral, xml);
}

std::string describe(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& problem : problems) {
    text += format(problem) + "\n";
  }
  return text;
}

std::string referralXmlWith(const std::string& from, const std::string& to) {
  std::string xml = buildReferral(fullReferral()).toXml();
  const auto at = xml.find(from);
  REQUIRE(at != std::string::npos);
  return xml.replace(at, from.size(), to);
}

TempDir::TempDir() {
  static std::atomic<unsigned> counter{0};
  std::random_device seed;
  path_ = std::filesystem::temp_directory_path() /
          ("rtw-worksafe-" + std::to_string(::getpid()) + "-" + std::to_string(seed()) + "-" +
           std::to_string(counter++));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void TempDir::write(const std::string& name, const std::string& text) const {
  std::filesystem::create_directories((path_ / name).parent_path());
  std::ofstream out(path_ / name, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

void TempDir::copySchema(const std::string& name) const {
  std::filesystem::copy_file(schemaDir() / name, path_ / name);
}

}  // namespace rtw::worksafe::test
