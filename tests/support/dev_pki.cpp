#include "dev_pki.h"

#include <memory>
#include <random>
#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

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

/// The dev CA's certificate and key.
struct DevCa {
  Owned<X509, X509_free> certificate;
  Owned<EVP_PKEY, EVP_PKEY_free> key;
  explicit DevCa(const std::filesystem::path& dir)
      : certificate(readCertificate(dir / "ca.pem")),
        key(PEM_read_bio_PrivateKey(open(dir / "ca.key", "r").get(), nullptr, nullptr, nullptr)) {
    if (key.p == nullptr) {
      throw std::runtime_error("no key in " + (dir / "ca.key").string());
    }
  }
};

}  // namespace

void issueDevClientCertificate(const std::filesystem::path& certificates_dir,
                               const std::filesystem::path& out_dir, const std::string& name,
                               const std::string& common_name, int from_days, int until_days) {
  const DevCa ca(certificates_dir);
  Owned<EVP_PKEY, EVP_PKEY_free> key{EVP_EC_gen("P-256")};
  Owned<X509, X509_free> leaf{X509_new()};
  X509_set_version(leaf.p, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(leaf.p), static_cast<long>(std::random_device{}() >> 1));
  X509_gmtime_adj(X509_getm_notBefore(leaf.p), static_cast<long>(from_days) * 86'400);
  X509_gmtime_adj(X509_getm_notAfter(leaf.p), static_cast<long>(until_days) * 86'400);
  X509_set_pubkey(leaf.p, key.p);
  X509_NAME* subject = X509_get_subject_name(leaf.p);
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("RTW Gateway Dev"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(leaf.p, X509_get_subject_name(ca.certificate.p));
  for (const auto& [nid, value] : {std::pair{NID_basic_constraints, "CA:FALSE"},
                                   std::pair{NID_key_usage, "critical,digitalSignature"},
                                   std::pair{NID_ext_key_usage, "clientAuth"}}) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, ca.certificate.p, leaf.p, nullptr, nullptr, 0);
    Owned<X509_EXTENSION, X509_EXTENSION_free> extension{
        X509V3_EXT_conf_nid(nullptr, &context, nid, value)};
    X509_add_ext(leaf.p, extension.p, -1);
  }
  if (X509_sign(leaf.p, ca.key.p, EVP_sha256()) <= 0 ||
      PEM_write_bio_X509(open(out_dir / (name + ".pem"), "w").get(), leaf.p) != 1 ||
      PEM_write_bio_PrivateKey(open(out_dir / (name + ".key"), "w").get(), key.p, nullptr, nullptr,
                               0, nullptr, nullptr) != 1) {
    throw std::runtime_error("cannot sign or write the certificate " + name);
  }
}

void writeDevCrl(const std::filesystem::path& out, const std::filesystem::path& certificates_dir,
                 const std::vector<std::string>& revoked_certificate_files) {
  const DevCa ca(certificates_dir);
  Owned<X509_CRL, X509_CRL_free> crl{X509_CRL_new()};
  X509_CRL_set_version(crl.p, 1);
  X509_CRL_set_issuer_name(crl.p, X509_get_subject_name(ca.certificate.p));
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
  if (X509_CRL_sign(crl.p, ca.key.p, EVP_sha256()) <= 0 ||
      PEM_write_bio_X509_CRL(open(out, "w").get(), crl.p) != 1) {
    throw std::runtime_error("cannot sign or write the CRL " + out.string());
  }
}

}  // namespace rtw::testing
