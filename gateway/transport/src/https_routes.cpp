#include "https_routes.h"

#include <algorithm>
#include <stdexcept>

namespace rtw::transport::detail {
namespace {

bool matches(const Route& route, std::string_view path) {
  return route.prefix ? path.substr(0, route.path.size()) == route.path : path == route.path;
}

/// Exact before prefix, longer prefix before shorter.
bool moreSpecific(const Route& a, const Route& b) {
  if (a.prefix != b.prefix) {
    return !a.prefix;
  }
  return a.path.size() > b.path.size();
}

}  // namespace

void RouteTable::add(std::string method, std::string pattern, Handler handler,
                     RouteOptions options) {
  if (method.empty() || pattern.empty() || pattern.front() != '/' || !handler) {
    throw std::invalid_argument(
        "a route needs a method, a path starting with '/' and a handler: '" + method + " " +
        pattern + "'");
  }
  Route route{std::move(method), pattern, pattern, false, std::move(handler), options};
  if (route.path.back() == '*') {
    route.path.pop_back();
    route.prefix = true;
  }
  for (const Route& known : routes_) {
    if (known.method == route.method && known.pattern == route.pattern) {
      throw std::invalid_argument("route given twice: " + route.method + " " + route.pattern);
    }
  }
  const auto at = std::upper_bound(routes_.begin(), routes_.end(), route, moreSpecific);
  routes_.insert(at, std::move(route));
}

RouteMatch RouteTable::match(std::string_view method, std::string_view path) const {
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (!matches(route, path)) {
      continue;
    }
    if (route.method == method) {
      return RouteFound{&route, route.prefix ? route.path.size() : path.size()};
    }
    if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) {
      allowed.push_back(route.method);
    }
  }
  if (allowed.empty()) {
    return RouteNotFound{};
  }
  std::sort(allowed.begin(), allowed.end());
  std::string allow;
  for (const std::string& name : allowed) {
    allow += (allow.empty() ? "" : ", ") + name;
  }
  return MethodNotAllowed{allow};
}

}  // namespace rtw::transport::detail
