#pragma once
// Canadian identifier conventions as FHIRPath environment variables
// (mappings/README.md, "Canadian identifiers"): each is a collection of
// the URIs that name one thing, the canonical Infoway URI first, then the
// aliases EMRs are known to send, so a mapping selects an identifier with
//   Patient.identifier.where(system in %onHcnSystems).value
// and reads the Ontario version code with
//   ....extension.where(url in %identifierVersionUrls).value
// (spec worksafe-formats.md §2).

#include <span>
#include <string_view>

namespace rtw::fhir {

/// BC Personal Health Number.
inline constexpr std::string_view kBcPhnSystems[] = {
    "https://fhir.infoway-inforoute.ca/NamingSystem/ca-bc-patient-healthcare-id",
    "http://fhir.infoway-inforoute.ca/NamingSystem/ca-bc-patient-healthcare-id",
    "https://health.gov.bc.ca/fhir/NamingSystem/ca-bc-patient-healthcare-id",
};

/// Ontario health card number.
inline constexpr std::string_view kOnHcnSystems[] = {
    "https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-patient-hcn",
    "http://fhir.infoway-inforoute.ca/NamingSystem/ca-on-patient-hcn",
    "http://ehealthontario.ca/fhir/NamingSystem/ca-on-patient-hcn",
    "https://ehealthontario.ca/fhir/NamingSystem/ca-on-patient-hcn",
    "https://ehealthontario.ca/API/FHIR/NamingSystem/ca-on-patient-hcn",
};

/// The extension holding a health card's version code (Ontario's letters),
/// on the identifier: CA Baseline's (and CA Core's earlier URL, and the
/// build page some profiles use), and Ontario Health's own from its
/// eReferral and lab (OLIS) guides.
inline constexpr std::string_view kIdentifierVersionUrls[] = {
    "http://hl7.org/fhir/ca/baseline/StructureDefinition/ext-identifierversion",
    "http://hl7.org/fhir/ca/core/StructureDefinition/ext-identifierversion",
    "https://build.fhir.org/ig/HL7-Canada/ca-baseline/"
    "StructureDefinition-ext-identifierversion.html",
    "http://ehealthontario.ca/fhir/StructureDefinition/ext-id-health-card-version-code",
    "https://ehealthontario.ca/fhir/StructureDefinition/ext-id-health-card-version-code",
};

/// The variables whose values the gateway sets per translation
/// (Resource::withVariables), from the partner's board profile:
/// %claimNumberSystem is the board's claim_number.system, the URI the
/// gateway defines for claim numbers in FHIR (there is no public one);
/// %boardNames the board's code and name ("WSBC", "WorkSafeBC"), for a
/// Coverage's payor.
inline constexpr std::string_view kGatewayVariables[] = {"claimNumberSystem", "boardNames"};
bool isGatewayVariable(std::string_view name);

/// The values of the FHIRPath environment variable `name` (without '%'):
/// %bcPhnSystems, %onHcnSystems, %identifierVersionUrls, and FHIRPath's
/// %ucum, %sct, %loinc. Empty for any other name (which the parser refuses).
std::span<const std::string_view> environmentVariable(std::string_view name);

}  // namespace rtw::fhir
