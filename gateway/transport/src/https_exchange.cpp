#include "rtw/transport/https_exchange.h"

#include <Poco/String.h>

namespace rtw::transport {
namespace {

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && Poco::icompare(std::string(a), std::string(b)) == 0;
}

}  // namespace

std::string BodyReader::readAll() {
  std::string body;
  std::size_t used = 0;
  const std::optional<std::uint64_t> declared = declaredSize();
  const std::size_t step = declared ? static_cast<std::size_t>(*declared) + 1 : 16 * 1024;
  while (true) {
    body.resize(used + step);
    const std::size_t count = read(body.data() + used, body.size() - used);
    used += count;
    if (count == 0) {
      body.resize(used);
      return body;
    }
  }
}

std::optional<std::string> Request::queryParam(std::string_view name) const {
  for (const auto& [key, value] : query_) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers_) {
    if (sameName(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

BodyReader& Request::body() const {
  if (body_ == nullptr) {
    throw std::logic_error("the request body is not there yet (identify decides from the head)");
  }
  return *body_;
}

void Response::set(std::string name, std::string value) {
  for (auto& [key, current] : headers) {
    if (sameName(key, name)) {
      current = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::reply(int status_code, std::string content_type, std::string text) {
  status = status_code;
  set("Content-Type", std::move(content_type));
  body = std::move(text);
}

}  // namespace rtw::transport
