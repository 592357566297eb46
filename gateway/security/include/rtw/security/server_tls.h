#pragma once
// The certificate, key and trust (CA, CRLs) the gateway's listeners present
// and check, read again on reload (SIGHUP) without dropping a connection:
// each handshake takes the material current when it starts (OpenSSL's
// certificate callback sets it on that connection), so connections
// established before a reload keep theirs and the next ones get the new.
//
// Revocation: with a CRL folder configured (tls.crlDir: a PEM CRL file per
// CA, *.pem or *.crl), a client
// certificate is checked against its CA's CRL in the handshake, and a CA
// without a CRL then fails every certificate it issued (OpenSSL's
// X509_V_FLAG_CRL_CHECK): a missing CRL is not read as "nothing revoked".

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>

#include "rtw/security/tls.h"

struct ssl_st;  // OpenSSL's SSL

namespace rtw::security {

/// One certificate the gateway holds, for expiry warnings (no private data).
struct HeldCertificate {
  std::string file;
  std::string subject;  // the subject's CN (a host or CA name), or the whole subject
  std::chrono::system_clock::time_point not_after;
};

/// The certificates in `file` (PEM, a chain or a CA bundle); throws
/// std::runtime_error naming the file when it cannot be read.
std::vector<HeldCertificate> certificatesIn(const std::string& file);

/// Those of `held` that expire within `window` of `now` (or have expired),
/// as log lines: "FILE: certificate CN=... expires on 2027-01-05 (in 12 days)".
std::vector<std::string> expiryWarnings(const std::vector<HeldCertificate>& held,
                                        std::chrono::system_clock::time_point now,
                                        std::chrono::hours window);

class ServerTls {
 public:
  /// Reads the files and, unless `crl_dir` is "", every CRL in that folder
  /// (throws std::runtime_error naming the file that fails).
  ServerTls(TlsFiles files, std::string crl_dir);
  ~ServerTls();
  ServerTls(const ServerTls&) = delete;
  ServerTls& operator=(const ServerTls&) = delete;

  /// The server context every listener shares.
  Poco::Net::Context::Ptr context() const { return context_; }
  /// Reads every file again. On success new handshakes use them; on failure
  /// nothing changes and the error (naming the file) is thrown.
  void reload();
  /// The certificates in force (our own, the CAs), for expiry warnings.
  std::vector<HeldCertificate> certificates() const;

  struct Material;

 private:
  TlsFiles files_;
  std::string crl_dir_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Material> current_;
  Poco::Net::Context::Ptr context_;

  static int onHandshake(ssl_st* ssl, void* self);
};

}  // namespace rtw::security
