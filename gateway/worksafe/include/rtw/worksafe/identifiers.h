#pragma once
// The identifier checks of spec §2, usable on their own (plugins, mappings,
// rtwctl) as well as by the board rules.

#include <optional>
#include <string_view>

namespace rtw::worksafe {

enum class IdentifierCheck { kValid, kBadFormat, kBadCheckDigit };

/// BC Personal Health Number: ^9[0-9]{9}$ and the mod-11 check digit
/// (digits 2-9 weighted 2,4,8,5,10,9,7,3).
IdentifierCheck checkBcPhn(std::string_view phn);

/// Ontario health number: ^[1-9][0-9]{9}$ and Luhn over all ten digits. The
/// version code travels separately.
IdentifierCheck checkOntarioHcn(std::string_view hcn);

/// Ontario health card version code: ^[A-Z]{0,2}$.
bool isOntarioVersionCode(std::string_view code);

/// GST/HST registration: ^[0-9]{9}RT[0-9]{4}$, the first nine digits pass Luhn.
IdentifierCheck checkGstNumber(std::string_view number);

/// Canadian postal code "A1A 1A1" (letters D, F, I, O, Q, U never appear,
/// W and Z never first).
bool isCanadianPostalCode(std::string_view code);

/// Luhn over a string of digits (false for anything else or empty).
bool passesLuhn(std::string_view digits);

/// The credential an Ontario MTCU program code names by its first digit.
enum class Credential { kCertificate, kDiploma, kAdvancedDiploma, kGraduateCertificate, kDegree };

/// ^[4-8][0-9]{4}$: the credential; nullopt when the code is malformed.
std::optional<Credential> credentialOfMtcuCode(std::string_view code);

/// The TrainingReport's spelling: "CERTIFICATE", "DIPLOMA", "ADVANCED_DIPLOMA",
/// "GRADUATE_CERTIFICATE", "DEGREE".
std::string_view toString(Credential credential);

/// Approved program sequence number: ^[0-9]{5}$.
bool isApsNumber(std::string_view number);

}  // namespace rtw::worksafe
