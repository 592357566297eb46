#include "referral.h"

#include <string>
#include <string_view>

namespace rtw::clinic {
namespace {

/// HL7 DT/TS ("20250301", "20250301101500-0800") → ISO date, or "" if not a date.
std::string isoDate(std::string_view ts) {
  if (ts.size() < 8) {
    return {};
  }
  for (std::size_t i = 0; i < 8; ++i) {
    if (ts[i] < '0' || ts[i] > '9') {
      return {};
    }
  }
  return std::string(ts.substr(0, 4)) + "-" + std::string(ts.substr(4, 2)) + "-" +
         std::string(ts.substr(6, 2));
}

/// The first PID-3 repetition whose identifier type (CX-5) is `type`.
struct Identifier {
  std::string value;
  std::string authority;
};
Identifier identifierOfType(const sdk::Hl7View& message, std::string_view type) {
  const std::vector<std::string> types = message.getAll("PID-3(*).5");
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (types[i] == type) {
      const std::string rep = "PID-3(" + std::to_string(i + 1) + ")";
      return {message.get(rep + ".1"), message.get(rep + ".4")};
    }
  }
  return {};
}

/// HL7 table 0283 referral status → the board's referral status.
std::string referralStatus(std::string_view code) {
  if (code == "A") {
    return "ACCEPTED";
  }
  if (code == "R") {
    return "DECLINED";
  }
  if (code == "E") {
    return "EXPIRED";
  }
  return "ACKNOWLEDGED";  // P (pending): the clinic has the referral and has not decided
}

std::string diagnosisSystem(std::string_view coding_system) {
  return coding_system == "I9" || coding_system == "I9C" ? "ICD-9" : "ICD-10-CA";
}

/// Sets a field only when the source has a value, so optional elements stay absent.
void setIfPresent(sdk::DocumentBuilder& doc, std::string_view path, const std::string& value) {
  if (!value.empty()) {
    doc.set(path, value);
  }
}

void setWorker(const sdk::Hl7View& m, sdk::DocumentBuilder& doc) {
  doc.set("worker/family", m.get("PID-5.1"));
  doc.set("worker/given", m.get("PID-5.2"));
  doc.set("worker/birthDate", isoDate(m.get("PID-7")));
  setIfPresent(doc, "worker/gender", m.get("PID-8"));
  const Identifier health = identifierOfType(m, "JHN");
  if (!health.value.empty()) {
    doc.set("worker/healthNumber/jurisdiction", health.authority);
    doc.set("worker/healthNumber/value", health.value);
  }
  if (!m.get("PID-11.1").empty()) {
    doc.set("worker/address/line", m.get("PID-11.1"));
    setIfPresent(doc, "worker/address/line[2]", m.get("PID-11.2"));
    doc.set("worker/address/city", m.get("PID-11.3"));
    doc.set("worker/address/province", m.get("PID-11.4"));
    doc.set("worker/address/postalCode", m.get("PID-11.5"));
    setIfPresent(doc, "worker/address/country", m.get("PID-11.6"));
  }
  setIfPresent(doc, "worker/phone", m.get("PID-13.1"));
}

void setInjuries(const sdk::Hl7View& m, sdk::DocumentBuilder& doc) {
  const std::vector<std::string> codes = m.getAll("DG1[*]-3.1");
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::string dg1 = "DG1[" + std::to_string(i + 1) + "]";
    const std::string injury = "injury[" + std::to_string(i + 1) + "]";
    doc.set(injury + "/nature", m.get(dg1 + "-3.2"));
    doc.set(injury + "/diagnosisCode", codes[i]);
    doc.set(injury + "/diagnosisSystem", diagnosisSystem(m.get(dg1 + "-3.3")));
  }
}

/// PRD with PRD-1 = role: its PRD-2 name as "given family".
std::string providerName(const sdk::Hl7View& m, std::string_view role) {
  const std::vector<std::string> roles = m.getAll("PRD[*]-1.1");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (roles[i] == role) {
      const std::string prd = "PRD[" + std::to_string(i + 1) + "]-2";
      const std::string family = m.get(prd + ".1");
      const std::string given = m.get(prd + ".2");
      return given.empty() ? family : given + " " + family;
    }
  }
  return {};
}

void setParties(const sdk::Hl7View& m, sdk::DocumentBuilder& doc) {
  doc.set("requester/name", providerName(m, "RP"));
  doc.set("requester/role", "referring provider");
  doc.set("provider/name", providerName(m, "RT"));
  const std::string auth_id = m.get("AUT-6");
  if (!auth_id.empty()) {
    doc.set("authorization/authId", auth_id);
    doc.set("authorization/authorizedVisits", m.get("AUT-9"));
    doc.set("authorization/start", isoDate(m.get("AUT-4")));
    doc.set("authorization/end", isoDate(m.get("AUT-5")));
  }
}

}  // namespace

sdk::Status translateReferral(const sdk::Hl7View& m, sdk::TranslationContext& context) {
  const Identifier claim = identifierOfType(m, "WCN");
  if (claim.value.empty()) {
    return sdk::Status::rejected("PID-3 has no identifier of type WCN (claim number)");
  }
  if (m.get("DG1-3.1").empty()) {
    return sdk::Status::rejected("DG1-3 (diagnosis) is required for a referral");
  }
  std::string board = claim.authority.empty() ? m.get("MSH-6.1") : claim.authority;

  sdk::DocumentBuilder& doc = context.newDocument(sdk::DocumentKind::kReferral);
  doc.set("header/board", board);
  doc.set("header/program", m.get("RF1-3.1"));
  doc.set("header/claimNumber", claim.value);
  // The board's referral number when the EMR carries it, else the clinic's own.
  const std::string board_ref = m.get("RF1-11.1");
  doc.set("referralId", board_ref.empty() ? m.get("RF1-6.1") : board_ref);
  doc.set("referralDate", isoDate(m.get("RF1-7")));
  doc.set("status", referralStatus(m.get("RF1-1.1")));
  setWorker(m, doc);
  doc.set("dateOfInjury", isoDate(m.get("ACC-1")));
  setInjuries(m, doc);
  setParties(m, doc);
  doc.set("service/description", m.get("RF1-3.2").empty() ? m.get("RF1-3.1") : m.get("RF1-3.2"));
  setIfPresent(doc, "notes", m.get("ACC-8"));
  return sdk::Status::ok();
}

}  // namespace rtw::clinic
