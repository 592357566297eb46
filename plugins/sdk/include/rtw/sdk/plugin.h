#pragma once
/// @file
/// The interfaces between the gateway and a partner plugin. The host
/// implements the views and the builder; the plugin implements Translator.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/config.hpp>

#include "rtw/sdk/abi.h"
#include "rtw/sdk/result.h"

namespace rtw::sdk {

/// A parsed HL7 v2 message, read-only. Paths as in the gateway's HL7
/// engine: "PID-3(2).1", "OBX[3]-5", "FT1[*]-7.1" (1-based, '*' = all).
class BOOST_SYMBOL_VISIBLE Hl7View {
 public:
  virtual ~Hl7View() = default;
  /// The first value at a path: one primitive, escape sequences decoded,
  /// never the sender's delimiters. A path that stops above the primitives
  /// reads the first piece of each level it leaves out (HAPI's Terser does
  /// the same): on PID-5 `Lefebvre-Ng&van&Ng^Chloé` "PID-5" and "PID-5.1"
  /// read "Lefebvre-Ng", "PID-5.2" "Chloé"; "OBX-5" of a CWE reads its code.
  /// "" when absent or empty; the explicit null `""` reads as two quotes;
  /// MSH-1 and MSH-2 read as they stand ("|", "^~\&").
  virtual std::string get(std::string_view path) const = 0;
  /// Every value a path with '*' selects, each read like get() ("" where a
  /// selected position is absent).
  virtual std::vector<std::string> getAll(std::string_view path) const = 0;
  /// The first position at a path whole, in the sender's delimiters, each
  /// primitive decoded: "Lefebvre-Ng&van&Ng^Chloé" for "PID-5". For text a
  /// primitive cannot hold (a sender's unescaped free text); an escaped
  /// separator and a real one read alike here, so read data by path.
  virtual std::string getEncoded(std::string_view path) const = 0;
  /// "REF^I12", MSH-10.
  virtual std::string messageType() const = 0;
  virtual std::string controlId() const = 0;
};

/// The WorkSafe document kinds a plugin can build.
enum class DocumentKind { kReferral, kReport, kInvoice, kTrainingReport };

/// Builds one WorkSafe document. Paths name elements of the document's XSD
/// below the root ("worker/family", "injury[2]/side"; 1-based indexes on
/// repeating elements). The host fills header/documentId, header/createdAt,
/// header/sourcePartner and header/sourceMessageId.
class BOOST_SYMBOL_VISIBLE DocumentBuilder {
 public:
  virtual ~DocumentBuilder() = default;
  /// Sets a field; a path the schema does not know fails the translation
  /// with that path in the reason.
  virtual void set(std::string_view path, std::string_view value) = 0;
  /// The value at a path, "" when unset (e.g. what a mapping wrote).
  virtual std::string get(std::string_view path) const = 0;
  virtual DocumentKind kind() const = 0;
};

/// What the host gives a plugin for one message.
class BOOST_SYMBOL_VISIBLE TranslationContext {
 public:
  virtual ~TranslationContext() = default;
  /// The partner id from conf/partners (who the certificate says sent it).
  virtual std::string_view partnerId() const = 0;
  /// The message, when it arrived as HL7 v2; nullptr otherwise.
  virtual const Hl7View* hl7() const = 0;
  /// Starts a new document; the reference stays valid for this call.
  virtual DocumentBuilder& newDocument(DocumentKind kind) = 0;
  /// Runs the partner's declarative mapping (mappings/<partner>/, named in
  /// conf/partners) for `message_type`, or for the message's own type when
  /// empty, and adds the document it builds. The host evaluates mappings, so
  /// a plugin can run code before (choose the type, split a message) and
  /// after (adjust what the mapping wrote through document()). Unsupported
  /// when the partner maps no such type; rejected when a required field is
  /// empty or a value cannot be converted (the reason names the field and
  /// the rule, never a value).
  virtual Status applyMapping(std::string_view message_type) = 0;
  /// The documents made so far for this message (by newDocument or
  /// applyMapping), in order; references stay valid for this call.
  virtual std::size_t documentCount() const = 0;
  virtual DocumentBuilder& document(std::size_t index) = 0;
  /// A warning for the operator and the trace (no PHI).
  virtual void warn(std::string_view message) = 0;
};

/// One plugin instance, made once at start-up and shared by the translate
/// workers: translate() may be called from several threads at once.
class BOOST_SYMBOL_VISIBLE Translator {
 public:
  virtual ~Translator() = default;
  /// Turns one inbound message into zero or more documents.
  virtual Status translate(TranslationContext& context) const = 0;
};

/// Signature of the factory every plugin exports as kFactoryAlias.
/// Returns nullptr when it cannot start; never throws.
using FactoryFunction = Translator*() noexcept;
/// Signature of the info function every plugin exports as kInfoAlias.
using InfoFunction = PluginInfo() noexcept;

}  // namespace rtw::sdk
