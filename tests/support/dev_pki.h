#pragma once
// What the dev CA (certs/make-dev-certs.sh: ca.pem and ca.key in the
// certificates' folder) signs for the TLS tests: a CRL revoking given
// certificates (tls.crlDir), and client certificates whose validity the
// test chooses (expired, not yet valid).

#include <filesystem>
#include <string>
#include <vector>

namespace rtw::testing {

/// Writes the PEM CRL to `out`; throws std::runtime_error when a file cannot be read.
void writeDevCrl(const std::filesystem::path& out, const std::filesystem::path& certificates_dir,
                 const std::vector<std::string>& revoked_certificate_files);

/// Issues `out_dir`/`name`.pem and .key: a client certificate (clientAuth) of
/// the dev CA with subject CN `common_name`, valid from now + `from_days` to
/// now + `until_days` (negative: in the past).
void issueDevClientCertificate(const std::filesystem::path& certificates_dir,
                               const std::filesystem::path& out_dir, const std::string& name,
                               const std::string& common_name, int from_days, int until_days);

}  // namespace rtw::testing
