#pragma once
// Typed readers for the composite HL7 v2 data types mappings read most:
// CX, XPN, XAD, CE/CNE/CWE and XCN, with HD inside them (TS/DTM are in
// timestamp.h).
//
// Each reader takes a path in Message::get()'s grammar and splits the
// position, whole as getEncoded() reads it, one level below the path: a
// path naming a field or repetition ("PID-3", "PID-3(2)") is split into
// components; a path naming a component (a type nested in another, e.g.
// readHd(m, "PID-3.4") for CX.4) into subcomponents. Parts are read like
// get() reads them (decoded, a part with subcomponents by its first one,
// except where the type is split further: XPN.1 FN, CX.4 HD); parts the
// sender left out are "". A reader returns nothing when the position is
// absent, empty or the explicit null `""`. The readAll... forms take '*'
// paths ("PID-3(*)", "NK1[*]-2") and return the values present, in order.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {

/// HD: an assigning authority or facility. Inside another type its parts
/// are subcomponents; when the outer value is itself a component only
/// namespace_id can be told apart.
struct HierarchicDesignator {
  std::string namespace_id;       // HD.1
  std::string universal_id;       // HD.2, e.g. an OID
  std::string universal_id_type;  // HD.3, e.g. "ISO"
  bool operator==(const HierarchicDesignator&) const = default;
};

/// CX: an identifier such as a health number or MRN.
struct Identifier {
  std::string id;                            // CX.1
  std::string check_digit;                   // CX.2
  std::string check_digit_scheme;            // CX.3
  HierarchicDesignator assigning_authority;  // CX.4
  std::string identifier_type;               // CX.5 (table 0203: MR, JHN, ...)
  HierarchicDesignator assigning_facility;   // CX.6
  bool operator==(const Identifier&) const = default;
};

/// XPN: a person's name.
struct PersonName {
  std::string family;  // XPN.1 (its surname subcomponent, FN.1)
  std::string given;   // XPN.2
  std::string middle;  // XPN.3 second and further given names or initials
  std::string suffix;  // XPN.4, e.g. "JR"
  std::string prefix;  // XPN.5, e.g. "DR"
  std::string degree;  // XPN.6
  std::string type;    // XPN.7 (table 0200: L legal, D display, ...)
  bool operator==(const PersonName&) const = default;
};

/// XAD: an address.
struct Address {
  std::string street;       // XAD.1 (its street or mailing address subcomponent, SAD.1)
  std::string other;        // XAD.2 other designation (unit, suite)
  std::string city;         // XAD.3
  std::string state;        // XAD.4 state or province
  std::string postal_code;  // XAD.5
  std::string country;      // XAD.6
  std::string type;         // XAD.7 (table 0190: H home, B business, ...)
  bool operator==(const Address&) const = default;
};

/// CE, CNE and CWE: a coded value with an optional alternate coding.
struct CodedValue {
  std::string code;                // .1 identifier
  std::string text;                // .2
  std::string system;              // .3 name of coding system (e.g. "I10", "LN")
  std::string alt_code;            // .4
  std::string alt_text;            // .5
  std::string alt_system;          // .6
  std::string system_version;      // .7 (CWE/CNE)
  std::string alt_system_version;  // .8 (CWE/CNE)
  std::string original_text;       // .9 (CWE/CNE)
  bool operator==(const CodedValue&) const = default;
};

/// XCN: a person (provider, clerk) with an identifier.
struct IdentifiedPerson {
  std::string id;                            // XCN.1
  PersonName name;                           // family XCN.2, given .3, middle .4, suffix .5,
                                             // prefix .6, degree .7, type .10
  std::string source_table;                  // XCN.8
  HierarchicDesignator assigning_authority;  // XCN.9
  std::string check_digit;                   // XCN.11
  std::string check_digit_scheme;            // XCN.12
  std::string identifier_type;               // XCN.13
  HierarchicDesignator assigning_facility;   // XCN.14
  bool operator==(const IdentifiedPerson&) const = default;
};

std::optional<HierarchicDesignator> readHd(const Message& message, std::string_view path);
std::optional<Identifier> readCx(const Message& message, std::string_view path);
std::optional<PersonName> readXpn(const Message& message, std::string_view path);
std::optional<Address> readXad(const Message& message, std::string_view path);
std::optional<CodedValue> readCe(const Message& message, std::string_view path);  // CE, CNE, CWE
std::optional<IdentifiedPerson> readXcn(const Message& message, std::string_view path);

std::vector<Identifier> readAllCx(const Message& message, std::string_view path);
std::vector<PersonName> readAllXpn(const Message& message, std::string_view path);
std::vector<Address> readAllXad(const Message& message, std::string_view path);
std::vector<CodedValue> readAllCe(const Message& message, std::string_view path);
std::vector<IdentifiedPerson> readAllXcn(const Message& message, std::string_view path);

}  // namespace rtw::hl7v2
