#pragma once
/// @file
/// Read-only views of the message a plugin translates, one per format,
/// behind one interface (MessageView). The host implements them; every call
/// is noexcept: a path the view cannot read gives "" (or nothing), never an
/// exception into plugin code.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/config.hpp>

namespace rtw::sdk {

/// How the payload is written (the journal keeps it with the message).
enum class Format {
  kHl7v2,     ///< HL7 v2 ER7, over MLLP
  kFhirJson,  ///< a FHIR R4 resource or Bundle in JSON
  kFhirXml,   ///< a FHIR R4 resource or Bundle in XML
  kXml,       ///< another XML document (a PESC transcript, a college export)
  kCsv,       ///< one record of a CSV file, with its header
};

/// A parsed HL7 v2 message. Paths as in the gateway's HL7 engine:
/// "PID-3(2).1", "OBX[3]-5", "FT1[*]-7.1" (1-based, '*' = all).
class BOOST_SYMBOL_VISIBLE Hl7View {
 public:
  virtual ~Hl7View() = default;
  /// The first value at a path: one primitive, escape sequences decoded,
  /// never the sender's delimiters. A path that stops above the primitives
  /// reads the first piece of each level it leaves out (HAPI's Terser does
  /// the same): on PID-5 `Lefebvre-Ng&van&Ng^Chloé` "PID-5" and "PID-5.1"
  /// read "Lefebvre-Ng", "PID-5.2" "Chloé"; "OBX-5" of a CWE reads its code.
  /// "" when absent, empty or not a valid path; the explicit null `""`
  /// reads as two quotes; MSH-1 and MSH-2 read as they stand ("|", "^~\&").
  virtual std::string get(std::string_view path) const noexcept = 0;
  /// Every value a path with '*' selects, each read like get() ("" where a
  /// selected position is absent).
  virtual std::vector<std::string> getAll(std::string_view path) const noexcept = 0;
  /// The first position at a path whole, in the sender's delimiters, each
  /// primitive decoded: "Lefebvre-Ng&van&Ng^Chloé" for "PID-5". For text a
  /// primitive cannot hold (a sender's unescaped free text); an escaped
  /// separator and a real one read alike here, so read data by path.
  virtual std::string getEncoded(std::string_view path) const noexcept = 0;
  /// "REF^I12", MSH-10.
  virtual std::string messageType() const noexcept = 0;
  virtual std::string controlId() const noexcept = 0;
};

/// A FHIR R4 resource (a Bundle is one too). Paths are the FHIRPath of
/// mappings/README.md, from the resource type:
/// "ServiceRequest.subject.resolve().name.family", "Claim.item[0].net.value",
/// "Patient.identifier.where(system in %onHcnSystems).value"; a path that
/// does not parse or fails at run time reads as nothing.
class BOOST_SYMBOL_VISIBLE FhirView {
 public:
  virtual ~FhirView() = default;
  virtual std::string resourceType() const noexcept = 0;
  virtual std::string id() const noexcept = 0;
  /// The first item the path selects, as text ("" when none or when it is
  /// an object; numbers as written: "100.00").
  virtual std::string get(std::string_view path) const noexcept = 0;
  virtual std::vector<std::string> getAll(std::string_view path) const noexcept = 0;
  /// A Bundle's entry[].resource, in order; 0 and nullptr for a resource
  /// that is not a Bundle or an index past the end.
  virtual std::size_t entryCount() const noexcept = 0;
  virtual const FhirView* entry(std::size_t index) const noexcept = 0;
};

/// An XML document (parsed without DTDs, entities or network access).
class BOOST_SYMBOL_VISIBLE XmlView {
 public:
  virtual ~XmlView() = default;
  /// The root element's local name.
  virtual std::string rootName() const noexcept = 0;
  /// string(xpath): the text of the first node an XPath 1.0 expression
  /// selects; "" when none or not a valid expression.
  virtual std::string get(std::string_view xpath) const noexcept = 0;
  /// The text of every node it selects, in document order.
  virtual std::vector<std::string> getAll(std::string_view xpath) const noexcept = 0;
};

/// One record of a CSV file, with the file's header. Columns are read by
/// header name, never by position.
class BOOST_SYMBOL_VISIBLE CsvRecordView {
 public:
  virtual ~CsvRecordView() = default;
  /// The file's column names, in file order.
  virtual std::vector<std::string> header() const noexcept = 0;
  /// The record's value in the column named `column`; "" when it has none.
  virtual std::string get(std::string_view column) const noexcept = 0;
  /// True when the header names the column.
  virtual bool has(std::string_view column) const noexcept = 0;
  /// The line of the file the record starts on (the header is line 1).
  virtual int line() const noexcept = 0;
};

/// The message being translated: its format, its bytes as received, and
/// the one view of its format (the others are nullptr).
class BOOST_SYMBOL_VISIBLE MessageView {
 public:
  virtual ~MessageView() = default;
  virtual Format format() const noexcept = 0;
  /// The bytes as the partner sent them (for a CSV record: its file's
  /// header and the record).
  virtual std::string_view payload() const noexcept = 0;
  /// What the partner's mappings are chosen by: "REF^I12" (HL7 v2), the
  /// resource type "ServiceRequest" (FHIR), "csv:enrolment" (CSV), the root
  /// element's name (XML).
  virtual std::string messageType() const noexcept = 0;
  virtual const Hl7View* hl7() const noexcept = 0;
  virtual const FhirView* fhir() const noexcept = 0;
  virtual const XmlView* xml() const noexcept = 0;
  virtual const CsvRecordView* csv() const noexcept = 0;
};

}  // namespace rtw::sdk
