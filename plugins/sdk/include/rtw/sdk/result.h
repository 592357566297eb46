#pragma once
/// @file
/// Status: how a plugin says that a message cannot be translated.

#include <string>
#include <utility>

namespace rtw::sdk {

/// Outcome of a plugin call. Failures carry a reason that is sent back to the
/// partner (ACK ERR, OperationOutcome): it must not contain PHI.
class Status {
 public:
  enum class Code {
    kOk,
    kRejected,     ///< the content cannot become a document (partner's error)
    kUnsupported,  ///< this plugin does not handle this message type
    kInternal,     ///< the plugin failed (our error)
  };

  static Status ok() { return Status(Code::kOk, {}); }
  static Status rejected(std::string reason) { return Status(Code::kRejected, std::move(reason)); }
  static Status unsupported(std::string reason) {
    return Status(Code::kUnsupported, std::move(reason));
  }
  static Status internal(std::string reason) { return Status(Code::kInternal, std::move(reason)); }

  bool isOk() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& reason() const { return reason_; }

 private:
  Status(Code code, std::string reason) : code_(code), reason_(std::move(reason)) {}
  Code code_;
  std::string reason_;
};

}  // namespace rtw::sdk
