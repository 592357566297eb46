#include "rtw/worksafe/identifiers.h"

#include <algorithm>
#include <array>

namespace rtw::worksafe {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool allDigits(std::string_view text) { return std::all_of(text.begin(), text.end(), isDigit); }

int digitAt(std::string_view text, std::size_t index) { return text[index] - '0'; }

// Letters a postal code may use; the first letter has two more exclusions.
bool isPostalLetter(char c) {
  return isUpper(c) && c != 'D' && c != 'F' && c != 'I' && c != 'O' && c != 'Q' && c != 'U';
}

}  // namespace

bool passesLuhn(std::string_view digits) {
  if (digits.empty() || !allDigits(digits)) {
    return false;
  }
  int sum = 0;
  bool doubled = false;  // the rightmost digit (the check digit) is not doubled
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int value = *it - '0';
    if (doubled) {
      value *= 2;
      value = value > 9 ? value - 9 : value;
    }
    sum += value;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

IdentifierCheck checkBcPhn(std::string_view phn) {
  if (phn.size() != 10 || phn.front() != '9' || !allDigits(phn)) {
    return IdentifierCheck::kBadFormat;
  }
  constexpr std::array<int, 8> kWeights = {2, 4, 8, 5, 10, 9, 7, 3};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) {
    sum += (kWeights[i] * digitAt(phn, i + 1)) % 11;
  }
  const int check = (11 - sum % 11) % 11;
  // A check of 10 cannot be written as one digit: no valid PHN has it.
  return check != 10 && check == digitAt(phn, 9) ? IdentifierCheck::kValid
                                                 : IdentifierCheck::kBadCheckDigit;
}

IdentifierCheck checkOntarioHcn(std::string_view hcn) {
  if (hcn.size() != 10 || hcn.front() == '0' || !allDigits(hcn)) {
    return IdentifierCheck::kBadFormat;
  }
  return passesLuhn(hcn) ? IdentifierCheck::kValid : IdentifierCheck::kBadCheckDigit;
}

bool isOntarioVersionCode(std::string_view code) {
  return code.size() <= 2 && std::all_of(code.begin(), code.end(), isUpper);
}

IdentifierCheck checkGstNumber(std::string_view number) {
  if (number.size() != 15 || !allDigits(number.substr(0, 9)) || number.substr(9, 2) != "RT" ||
      !allDigits(number.substr(11))) {
    return IdentifierCheck::kBadFormat;
  }
  return passesLuhn(number.substr(0, 9)) ? IdentifierCheck::kValid
                                         : IdentifierCheck::kBadCheckDigit;
}

bool isCanadianPostalCode(std::string_view code) {
  if (code.size() != 7 || code[3] != ' ') {
    return false;
  }
  const char first = code[0];
  return isPostalLetter(first) && first != 'W' && first != 'Z' && isDigit(code[1]) &&
         isPostalLetter(code[2]) && isDigit(code[4]) && isPostalLetter(code[5]) && isDigit(code[6]);
}

std::optional<Credential> credentialOfMtcuCode(std::string_view code) {
  if (code.size() != 5 || !allDigits(code)) {
    return std::nullopt;
  }
  switch (code.front()) {
    case '4':
      return Credential::kCertificate;
    case '5':
      return Credential::kDiploma;
    case '6':
      return Credential::kAdvancedDiploma;
    case '7':
      return Credential::kGraduateCertificate;
    case '8':
      return Credential::kDegree;
    default:
      return std::nullopt;
  }
}

std::string_view toString(Credential credential) {
  switch (credential) {
    case Credential::kCertificate:
      return "CERTIFICATE";
    case Credential::kDiploma:
      return "DIPLOMA";
    case Credential::kAdvancedDiploma:
      return "ADVANCED_DIPLOMA";
    case Credential::kGraduateCertificate:
      return "GRADUATE_CERTIFICATE";
    case Credential::kDegree:
      return "DEGREE";
  }
  return "UNKNOWN";
}

bool isApsNumber(std::string_view number) { return number.size() == 5 && allDigits(number); }

}  // namespace rtw::worksafe
