#pragma once
// The HTTPS server's routes: method and path pattern (exact, or a prefix
// ending in "*") to a handler. The most specific pattern matching the path
// decides; no pattern is 404, patterns for other methods only 405.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "rtw/transport/https_server.h"

namespace rtw::transport::detail {

struct Route {
  std::string method;
  std::string pattern;  // as given
  std::string path;     // the pattern without a trailing "*"
  bool prefix = false;
  Handler handler;
  RouteOptions options;
};

struct RouteFound {
  const Route* route;
  std::size_t prefix_length;  // where Request::pathTail() starts
};
struct RouteNotFound {};
struct MethodNotAllowed {
  std::string allow;  // "GET, POST"
};
using RouteMatch = std::variant<RouteFound, RouteNotFound, MethodNotAllowed>;

class RouteTable {
 public:
  /// Throws std::invalid_argument for an empty method, a pattern not
  /// starting with '/', or a method and pattern given twice.
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options);
  RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  // Most specific first: exact paths, then prefixes from the longest.
  std::vector<Route> routes_;
};

}  // namespace rtw::transport::detail
