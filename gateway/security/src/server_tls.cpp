#include "rtw/security/server_tls.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace rtw::security {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio openFile(const std::string& file, const char* what) {
  Bio bio(BIO_new_file(file.c_str(), "r"), BIO_free);
  if (!bio) {
    throw std::runtime_error(std::string("TLS ") + what + " file cannot be read: '" + file + "'");
  }
  return bio;
}

std::string subjectOf(X509* certificate) {
  X509_NAME* name = X509_get_subject_name(certificate);
  char text[256] = {};
  if (X509_NAME_get_text_by_NID(name, NID_commonName, text, sizeof text) > 0) {
    return std::string("CN=") + text;
  }
  X509_NAME_oneline(name, text, sizeof text);
  return text;
}

std::chrono::system_clock::time_point notAfter(X509* certificate) {
  std::tm when{};
  ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &when);
  return std::chrono::system_clock::from_time_t(timegm(&when));
}

/// Every certificate of a PEM file, in order (owned by the caller).
std::vector<X509*> readCertificates(const std::string& file, const char* what) {
  Bio bio = openFile(file, what);
  std::vector<X509*> certificates;
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certificates.push_back(certificate);
  }
  if (certificates.empty()) {
    throw std::runtime_error(std::string("TLS ") + what + " file holds no PEM certificate: '" +
                             file + "'");
  }
  return certificates;
}

}  // namespace

struct ServerTls::Material {
  X509* certificate = nullptr;
  STACK_OF(X509) * chain = sk_X509_new_null();
  EVP_PKEY* key = nullptr;
  X509_STORE* store = X509_STORE_new();
  std::vector<HeldCertificate> held;

  Material() = default;
  Material(const Material&) = delete;
  Material& operator=(const Material&) = delete;
  ~Material() {
    X509_free(certificate);
    sk_X509_pop_free(chain, X509_free);
    EVP_PKEY_free(key);
    X509_STORE_free(store);
  }
};

namespace {

// The CRL files of the folder, in name order.
std::vector<std::string> crlFiles(const std::string& dir) {
  std::vector<std::string> files;
  if (dir.empty()) {
    return files;
  }
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".pem" || extension == ".crl")) {
      files.push_back(entry.path().string());
    }
  }
  if (error) {
    throw std::runtime_error("TLS CRL folder cannot be read: '" + dir + "': " + error.message());
  }
  if (files.empty()) {
    throw std::runtime_error("TLS CRL folder '" + dir + "' holds no *.pem or *.crl file");
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::shared_ptr<const ServerTls::Material> loadMaterial(const TlsFiles& files,
                                                        const std::string& crl_dir) {
  const std::vector<std::string> crls = crlFiles(crl_dir);
  auto material = std::make_shared<ServerTls::Material>();
  std::vector<X509*> presented = readCertificates(files.certificate, "certificate");
  material->certificate = presented.front();
  for (std::size_t i = 1; i < presented.size(); ++i) {
    sk_X509_push(material->chain, presented[i]);
  }
  {
    Bio bio = openFile(files.private_key, "private key");
    material->key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  }
  if (material->key == nullptr ||
      X509_check_private_key(material->certificate, material->key) != 1) {
    throw std::runtime_error("TLS private key '" + files.private_key +
                             "' is not the key of the certificate '" + files.certificate + "'");
  }
  for (X509* ca : readCertificates(files.ca, "CA")) {
    X509_STORE_add_cert(material->store, ca);
    material->held.push_back({files.ca, subjectOf(ca), notAfter(ca)});
    X509_free(ca);
  }
  material->held.insert(
      material->held.begin(),
      {files.certificate, subjectOf(material->certificate), notAfter(material->certificate)});
  for (const std::string& file : crls) {
    Bio bio = openFile(file, "CRL");
    int read = 0;
    while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
      X509_STORE_add_crl(material->store, crl);
      X509_CRL_free(crl);
      ++read;
    }
    if (read == 0) {
      throw std::runtime_error("TLS CRL file holds no PEM CRL: '" + file + "'");
    }
  }
  if (!crls.empty()) {
    X509_STORE_set_flags(material->store, X509_V_FLAG_CRL_CHECK);
  }
  return material;
}

}  // namespace

std::vector<HeldCertificate> certificatesIn(const std::string& file) {
  std::vector<HeldCertificate> held;
  for (X509* certificate : readCertificates(file, "certificate")) {
    held.push_back({file, subjectOf(certificate), notAfter(certificate)});
    X509_free(certificate);
  }
  return held;
}

std::vector<std::string> expiryWarnings(const std::vector<HeldCertificate>& held,
                                        std::chrono::system_clock::time_point now,
                                        std::chrono::hours window) {
  std::vector<std::string> warnings;
  for (const HeldCertificate& certificate : held) {
    if (certificate.not_after > now + window) {
      continue;
    }
    const std::time_t when = std::chrono::system_clock::to_time_t(certificate.not_after);
    std::tm utc{};
    gmtime_r(&when, &utc);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", &utc);
    const auto days =
        std::chrono::duration_cast<std::chrono::hours>(certificate.not_after - now).count() / 24;
    warnings.push_back(
        certificate.file + ": certificate " + certificate.subject +
        (certificate.not_after <= now
             ? " expired on " + std::string(date)
             : " expires on " + std::string(date) + " (in " + std::to_string(days) + " days)"));
  }
  return warnings;
}

ServerTls::ServerTls(TlsFiles files, std::string crl_dir)
    : files_(std::move(files)),
      crl_dir_(std::move(crl_dir)),
      current_(loadMaterial(files_, crl_dir_)),
      context_(serverContext(files_)) {
  SSL_CTX_set_cert_cb(context_->sslContext(), &ServerTls::onHandshake, this);
}

ServerTls::~ServerTls() { SSL_CTX_set_cert_cb(context_->sslContext(), nullptr, nullptr); }

void ServerTls::reload() {
  std::shared_ptr<const Material> fresh = loadMaterial(files_, crl_dir_);  // throws: unchanged
  {
    std::lock_guard lock(mutex_);
    current_ = std::move(fresh);
  }
  // A session resumed from the cache skips the client certificate check: a
  // certificate revoked by the new CRL must not resume one made before.
  SSL_CTX_flush_sessions(context_->sslContext(), std::numeric_limits<long>::max());
}

std::vector<HeldCertificate> ServerTls::certificates() const {
  std::lock_guard lock(mutex_);
  return current_->held;
}

int ServerTls::onHandshake(SSL* ssl, void* self) {
  std::shared_ptr<const Material> material;
  {
    auto* tls = static_cast<ServerTls*>(self);
    std::lock_guard lock(tls->mutex_);
    material = tls->current_;
  }
  // Each call takes its own reference: the connection keeps them after a reload.
  const bool set = SSL_use_certificate(ssl, material->certificate) == 1 &&
                   SSL_use_PrivateKey(ssl, material->key) == 1 &&
                   SSL_set1_chain(ssl, material->chain) == 1 &&
                   SSL_set1_verify_cert_store(ssl, material->store) == 1;
  return set ? 1 : 0;
}

}  // namespace rtw::security
