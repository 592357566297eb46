#include "fhirpath_types.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace rtw::fhir::detail {
namespace {

// FHIR R4 data types (the choice element types first, then the others a
// type test may name).
constexpr std::string_view kDataTypes[] = {
    "base64Binary", "boolean", "canonical", "code", "date", "dateTime", "decimal", "id", "instant",
    "integer", "markdown", "oid", "positiveInt", "string", "time", "unsignedInt", "uri", "url",
    "uuid", "Address", "Age", "Annotation", "Attachment", "CodeableConcept", "Coding",
    "ContactPoint", "Count", "Distance", "Duration", "HumanName", "Identifier", "Money", "Period",
    "Quantity", "Range", "Ratio", "Reference", "SampledData", "Signature", "Timing",
    "ContactDetail", "Contributor", "DataRequirement", "Expression", "ParameterDefinition",
    "RelatedArtifact", "TriggerDefinition", "UsageContext", "Dosage", "Meta",
    // not in choices
    "Extension", "Narrative", "Element", "BackboneElement", "SimpleQuantity", "MoneyQuantity",
    "xhtml"};
constexpr std::size_t kChoiceTypes = 50;  // the first 50 of kDataTypes

// FHIR R4 (4.0.1) resource types, sorted.
constexpr std::string_view kResourceTypes[] = {"Account",
                                               "ActivityDefinition",
                                               "AdverseEvent",
                                               "AllergyIntolerance",
                                               "Appointment",
                                               "AppointmentResponse",
                                               "AuditEvent",
                                               "Basic",
                                               "Binary",
                                               "BiologicallyDerivedProduct",
                                               "BodyStructure",
                                               "Bundle",
                                               "CapabilityStatement",
                                               "CarePlan",
                                               "CareTeam",
                                               "CatalogEntry",
                                               "ChargeItem",
                                               "ChargeItemDefinition",
                                               "Claim",
                                               "ClaimResponse",
                                               "ClinicalImpression",
                                               "CodeSystem",
                                               "Communication",
                                               "CommunicationRequest",
                                               "CompartmentDefinition",
                                               "Composition",
                                               "ConceptMap",
                                               "Condition",
                                               "Consent",
                                               "Contract",
                                               "Coverage",
                                               "CoverageEligibilityRequest",
                                               "CoverageEligibilityResponse",
                                               "DetectedIssue",
                                               "Device",
                                               "DeviceDefinition",
                                               "DeviceMetric",
                                               "DeviceRequest",
                                               "DeviceUseStatement",
                                               "DiagnosticReport",
                                               "DocumentManifest",
                                               "DocumentReference",
                                               "EffectEvidenceSynthesis",
                                               "Encounter",
                                               "Endpoint",
                                               "EnrollmentRequest",
                                               "EnrollmentResponse",
                                               "EpisodeOfCare",
                                               "EventDefinition",
                                               "Evidence",
                                               "EvidenceVariable",
                                               "ExampleScenario",
                                               "ExplanationOfBenefit",
                                               "FamilyMemberHistory",
                                               "Flag",
                                               "Goal",
                                               "GraphDefinition",
                                               "Group",
                                               "GuidanceResponse",
                                               "HealthcareService",
                                               "ImagingStudy",
                                               "Immunization",
                                               "ImmunizationEvaluation",
                                               "ImmunizationRecommendation",
                                               "ImplementationGuide",
                                               "InsurancePlan",
                                               "Invoice",
                                               "Library",
                                               "Linkage",
                                               "List",
                                               "Location",
                                               "Measure",
                                               "MeasureReport",
                                               "Media",
                                               "Medication",
                                               "MedicationAdministration",
                                               "MedicationDispense",
                                               "MedicationKnowledge",
                                               "MedicationRequest",
                                               "MedicationStatement",
                                               "MedicinalProduct",
                                               "MedicinalProductAuthorization",
                                               "MedicinalProductContraindication",
                                               "MedicinalProductIndication",
                                               "MedicinalProductIngredient",
                                               "MedicinalProductInteraction",
                                               "MedicinalProductManufactured",
                                               "MedicinalProductPackaged",
                                               "MedicinalProductPharmaceutical",
                                               "MedicinalProductUndesirableEffect",
                                               "MessageDefinition",
                                               "MessageHeader",
                                               "MolecularSequence",
                                               "NamingSystem",
                                               "NutritionOrder",
                                               "Observation",
                                               "ObservationDefinition",
                                               "OperationDefinition",
                                               "OperationOutcome",
                                               "Organization",
                                               "OrganizationAffiliation",
                                               "Parameters",
                                               "Patient",
                                               "PaymentNotice",
                                               "PaymentReconciliation",
                                               "Person",
                                               "PlanDefinition",
                                               "Practitioner",
                                               "PractitionerRole",
                                               "Procedure",
                                               "Provenance",
                                               "Questionnaire",
                                               "QuestionnaireResponse",
                                               "RelatedPerson",
                                               "RequestGroup",
                                               "ResearchDefinition",
                                               "ResearchElementDefinition",
                                               "ResearchStudy",
                                               "ResearchSubject",
                                               "RiskAssessment",
                                               "RiskEvidenceSynthesis",
                                               "Schedule",
                                               "SearchParameter",
                                               "ServiceRequest",
                                               "Slot",
                                               "Specimen",
                                               "SpecimenDefinition",
                                               "StructureDefinition",
                                               "StructureMap",
                                               "Subscription",
                                               "Substance",
                                               "SubstanceNucleicAcid",
                                               "SubstancePolymer",
                                               "SubstanceProtein",
                                               "SubstanceReferenceInformation",
                                               "SubstanceSourceMaterial",
                                               "SubstanceSpecification",
                                               "SupplyDelivery",
                                               "SupplyRequest",
                                               "Task",
                                               "TerminologyCapabilities",
                                               "TestReport",
                                               "TestScript",
                                               "ValueSet",
                                               "VerificationResult",
                                               "VisionPrescription"};

// The names of FHIR R4's choice elements ([x]), sorted: only these find
// valueQuantity as "value". Without the list, "Coverage.subscriber" would
// find subscriberId and "Patient.birth" birthDate.
constexpr std::string_view kChoiceNames[] = {
    "abatement", "age",           "allowed",   "amount",       "answer",     "asNeeded",
    "author",    "born",          "bounds",    "chargeItem",   "code",       "collected",
    "content",   "created",       "deceased",  "defaultValue", "definition", "detail",
    "diagnosis", "dose",          "due",       "effective",    "event",      "fastingStatus",
    "fixed",     "initial",       "item",      "location",     "maxValue",   "medication",
    "minValue",  "multipleBirth", "occurred",  "occurrence",   "onset",      "pattern",
    "performed", "probability",   "procedure", "product",      "quantity",   "rate",
    "reported",  "scheduled",     "serviced",  "source",       "start",      "subject",
    "target",    "timing",        "topic",     "used",         "value",      "when"};

constexpr std::string_view kSystemTypes[] = {"Boolean", "String",   "Integer", "Decimal",
                                             "Date",    "DateTime", "Time"};

// Types derived from another one (a type test on the base holds for them).
struct Derived {
  std::string_view type;
  std::string_view base;
};
constexpr Derived kDerived[] = {{"Age", "Quantity"},
                                {"Count", "Quantity"},
                                {"Distance", "Quantity"},
                                {"Duration", "Quantity"},
                                {"MoneyQuantity", "Quantity"},
                                {"SimpleQuantity", "Quantity"},
                                {"code", "string"},
                                {"id", "string"},
                                {"markdown", "string"},
                                {"url", "uri"},
                                {"canonical", "uri"},
                                {"oid", "uri"},
                                {"uuid", "uri"},
                                {"positiveInt", "integer"},
                                {"unsignedInt", "integer"}};

bool derivesFrom(std::string_view type, std::string_view base) {
  if (type == base) {
    return true;
  }
  return std::any_of(std::begin(kDerived), std::end(kDerived),
                     [&](const Derived& d) { return d.type == type && d.base == base; });
}

bool contains(const std::string_view* begin, const std::string_view* end, std::string_view name) {
  return std::find(begin, end, name) != end;
}

// The System type of a computed value or of JSON whose FHIR type is unknown.
bool isOfSystemType(const Item& item, std::string_view name, const JsonDocument& document) {
  const auto is = [&](std::string_view system, std::string_view fhir) {
    return name == system || name == fhir;
  };
  switch (item.kind) {
    case Item::Kind::kBoolean:
      return is("Boolean", "boolean");
    case Item::Kind::kString:
      return is("String", "string");
    case Item::Kind::kInteger:
      return is("Integer", "integer");
    case Item::Kind::kDecimal:
      return is("Decimal", "decimal");
    case Item::Kind::kDate:
      return is("Date", "date");
    case Item::Kind::kDateTime:
      return is("DateTime", "dateTime");
    case Item::Kind::kTime:
      return is("Time", "time");
    case Item::Kind::kNode:
      break;
  }
  if (item.node == nullptr) {
    return false;
  }
  if (item.node->IsBool()) {
    return is("Boolean", "boolean");
  }
  if (item.node->IsString() && document.isNumber(item.node)) {
    const std::string_view text(item.node->GetString(), item.node->GetStringLength());
    const bool integral = text.find_first_of(".eE") == std::string_view::npos;
    return is("Decimal", "decimal") || (integral && is("Integer", "integer"));
  }
  return item.node->IsString() && name == "String";
}

}  // namespace

bool isChoiceName(std::string_view name) {
  return std::binary_search(std::begin(kChoiceNames), std::end(kChoiceNames), name);
}

std::string_view choiceSuffixType(std::string_view suffix) {
  if (suffix.empty() || !std::isupper(static_cast<unsigned char>(suffix[0]))) {
    return {};
  }
  for (std::size_t i = 0; i < kChoiceTypes; ++i) {
    const std::string_view type = kDataTypes[i];
    if (type.size() == suffix.size() &&
        std::toupper(static_cast<unsigned char>(type[0])) == suffix[0] &&
        type.substr(1) == suffix.substr(1)) {
      return type;
    }
  }
  return {};
}

bool isResourceType(std::string_view name) {
  return std::binary_search(std::begin(kResourceTypes), std::end(kResourceTypes), name);
}

bool isKnownType(std::string_view name) {
  if (name.substr(0, 7) == "System.") {
    return contains(std::begin(kSystemTypes), std::end(kSystemTypes), name.substr(7));
  }
  if (name.substr(0, 5) == "FHIR.") {
    name = name.substr(5);
  }
  return contains(std::begin(kDataTypes), std::end(kDataTypes), name) || isResourceType(name) ||
         name == "Resource" || name == "DomainResource" ||
         contains(std::begin(kSystemTypes), std::end(kSystemTypes), name);
}

bool isOfType(const Item& item, std::string_view name, const JsonDocument& document) {
  if (name.substr(0, 7) == "System.") {
    return isOfSystemType(item, name.substr(7), document);
  }
  if (name.substr(0, 5) == "FHIR.") {
    name = name.substr(5);
  }
  if (item.kind != Item::Kind::kNode || item.type.empty()) {
    return isOfSystemType(item, name, document);
  }
  if (isResourceType(item.type)) {
    const bool domain = item.type != "Bundle" && item.type != "Binary" && item.type != "Parameters";
    return item.type == name || name == "Resource" || (name == "DomainResource" && domain);
  }
  return derivesFrom(item.type, name);
}

}  // namespace rtw::fhir::detail
