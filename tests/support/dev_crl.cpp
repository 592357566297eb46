#include "dev_crl.h"

#include <memory>
#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/x509.h>

namespace rtw::testing {
namespace {

template <class T, void (*Free)(T*)>
struct Owned {
  explicit Owned(T* owned) : p(owned) {}
  T* p;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { Free(p); }
};

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio open(const std::filesystem::path& file, const char* mode) {
  Bio bio(BIO_new_file(file.c_str(), mode), BIO_free);
  if (!bio) {
    throw std::runtime_error("cannot open " + file.string());
  }
  return bio;
}

X509* readCertificate(const std::filesystem::path& file) {
  X509* certificate = PEM_read_bio_X509(open(file, "r").get(), nullptr, nullptr, nullptr);
  if (certificate == nullptr) {
    throw std::runtime_error("no certificate in " + file.string());
  }
  return certificate;
}

}  // namespace

void writeDevCrl(const std::filesystem::path& out, const std::filesystem::path& certificates_dir,
                 const std::vector<std::string>& revoked_certificate_files) {
  Owned<X509, X509_free> ca{readCertificate(certificates_dir / "ca.pem")};
  Owned<EVP_PKEY, EVP_PKEY_free> key{PEM_read_bio_PrivateKey(
      open(certificates_dir / "ca.key", "r").get(), nullptr, nullptr, nullptr)};
  if (key.p == nullptr) {
    throw std::runtime_error("no key in " + (certificates_dir / "ca.key").string());
  }
  Owned<X509_CRL, X509_CRL_free> crl{X509_CRL_new()};
  X509_CRL_set_version(crl.p, 1);
  X509_CRL_set_issuer_name(crl.p, X509_get_subject_name(ca.p));
  Owned<ASN1_TIME, ASN1_TIME_free> now{X509_gmtime_adj(nullptr, 0)};
  Owned<ASN1_TIME, ASN1_TIME_free> next{X509_gmtime_adj(nullptr, 86'400)};
  X509_CRL_set1_lastUpdate(crl.p, now.p);
  X509_CRL_set1_nextUpdate(crl.p, next.p);
  for (const std::string& file : revoked_certificate_files) {
    Owned<X509, X509_free> leaf{readCertificate(file)};
    X509_REVOKED* entry = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(leaf.p));
    X509_REVOKED_set_revocationDate(entry, now.p);
    X509_CRL_add0_revoked(crl.p, entry);
  }
  X509_CRL_sort(crl.p);
  if (X509_CRL_sign(crl.p, key.p, EVP_sha256()) <= 0 ||
      PEM_write_bio_X509_CRL(open(out, "w").get(), crl.p) != 1) {
    throw std::runtime_error("cannot sign or write the CRL " + out.string());
  }
}

}  // namespace rtw::testing
