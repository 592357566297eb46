#pragma once
// A CRL of the dev CA (certs/make-dev-certs.sh: ca.pem and ca.key in the
// certificates' folder) revoking the given certificates, for the tests of
// revocation (tls.crlDir). An empty list gives a CRL that revokes nothing.

#include <filesystem>
#include <string>
#include <vector>

namespace rtw::testing {

/// Writes the PEM CRL to `out`; throws std::runtime_error when a file cannot be read.
void writeDevCrl(const std::filesystem::path& out, const std::filesystem::path& certificates_dir,
                 const std::vector<std::string>& revoked_certificate_files);

}  // namespace rtw::testing
