#pragma once
/// @file
/// The interfaces between the gateway and a partner plugin. The host
/// implements the views (message.h), the settings (settings.h), the builder
/// and the context; the plugin implements Translator. No host call throws
/// into plugin code: every one is noexcept, and failures come back as
/// results (a Status, nullptr, "").

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/config.hpp>

#include "rtw/sdk/abi.h"
#include "rtw/sdk/message.h"
#include "rtw/sdk/result.h"
#include "rtw/sdk/settings.h"

namespace rtw::sdk {

/// The WorkSafe document kinds a plugin can build.
enum class DocumentKind { kReferral, kReport, kInvoice, kTrainingReport };

/// Builds one WorkSafe document. Paths name elements of the document's XSD
/// below the root ("worker/family", "injury[2]/side"; 1-based indexes on
/// repeating elements). The host fills header/documentId, header/createdAt,
/// header/sourcePartner and header/sourceMessageId.
class BOOST_SYMBOL_VISIBLE DocumentBuilder {
 public:
  virtual ~DocumentBuilder() = default;
  /// Sets a field. A path the schema does not know, or a value it cannot
  /// take, is refused (the Status says why, naming the path) and fails the
  /// translation with that path in the reason, whatever the plugin returns.
  virtual Status set(std::string_view path, std::string_view value) noexcept = 0;
  /// The value at a path, "" when unset (e.g. what a mapping wrote).
  virtual std::string get(std::string_view path) const noexcept = 0;
  virtual DocumentKind kind() const noexcept = 0;
};

/// What the host gives a plugin for one message.
class BOOST_SYMBOL_VISIBLE TranslationContext {
 public:
  virtual ~TranslationContext() = default;
  /// The partner id from conf/partners (who the certificate says sent it).
  virtual std::string_view partnerId() const noexcept = 0;
  /// The message in its format's view.
  virtual const MessageView& message() const noexcept = 0;
  /// This partner's settings for the plugin ("settings" in its entry).
  virtual const Settings& settings() const noexcept = 0;
  /// Starts a new document; the pointer stays valid for this call. nullptr
  /// when the host cannot make one (no schema of that kind is loaded): the
  /// translation then fails with that reason.
  virtual DocumentBuilder* newDocument(DocumentKind kind) noexcept = 0;
  /// Runs the partner's declarative mapping (mappings/<partner>/, named in
  /// conf/partners) for `message_type`, or for the message's own type when
  /// empty, and adds the document it builds. The host evaluates mappings, so
  /// a plugin can run code before (choose the type, split a message) and
  /// after (adjust what the mapping wrote through document()). Unsupported
  /// when the partner maps no such type; rejected when a required field is
  /// empty or a value cannot be converted (the reason names the field and
  /// the rule, never a value). The mapping reads the message in its own
  /// format (HL7 paths, FHIRPath, XPath or CSV columns).
  virtual Status applyMapping(std::string_view message_type) noexcept = 0;
  /// The documents made so far for this message (by newDocument or
  /// applyMapping), in order; pointers stay valid for this call; nullptr
  /// past the end.
  virtual std::size_t documentCount() const noexcept = 0;
  virtual DocumentBuilder* document(std::size_t index) noexcept = 0;
  /// A warning for the operator and the trace (no PHI).
  virtual void warn(std::string_view message) noexcept = 0;
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
