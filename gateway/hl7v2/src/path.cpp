// Reading values by path: "SEG[occurrence]-field(repetition).component.subcomponent".
// The path is parsed on every call (it is short); the segment text is then
// split lazily, only as far as the path goes.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "er7.h"
#include "path_spec.h"
#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {
namespace detail {
namespace {

constexpr int kMaxIndexDigits = 7;  // keeps every index far below INT_MAX

class PathCursor {
 public:
  explicit PathCursor(std::string_view text) : text_(text) {}

  bool take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // A 1-based index: 1 to 7 digits, not zero.
  std::optional<int> index() {
    int value = 0;
    int digits = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (++digits > kMaxIndexDigits) {
        return std::nullopt;
      }
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (digits == 0 || value == 0) {
      return std::nullopt;
    }
    return value;
  }

  // An index or '*', between `open` and `close`; true when absent too.
  bool bracketed(char open, char close, int& out) {
    if (!take(open)) {
      return true;
    }
    if (take('*')) {
      out = kEvery;
    } else if (auto n = index()) {
      out = *n;
    } else {
      return false;
    }
    return take(close);
  }

  bool atEnd() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<PathSpec> parsePath(std::string_view text) {
  if (text.size() < 5 || !detail::isUpperAlnum(text[0]) || !detail::isUpperAlnum(text[1]) ||
      !detail::isUpperAlnum(text[2])) {
    return std::nullopt;
  }
  PathSpec spec;
  spec.segment = text.substr(0, 3);
  PathCursor cursor(text.substr(3));
  if (!cursor.bracketed('[', ']', spec.occurrence) || !cursor.take('-')) {
    return std::nullopt;
  }
  auto field = cursor.index();
  if (!field) {
    return std::nullopt;
  }
  spec.field = *field;
  if (!cursor.bracketed('(', ')', spec.repetition)) {
    return std::nullopt;
  }
  if (cursor.take('.')) {
    auto component = cursor.index();
    if (!component) {
      return std::nullopt;
    }
    spec.component = *component;
    if (cursor.take('.')) {
      auto subcomponent = cursor.index();
      if (!subcomponent) {
        return std::nullopt;
      }
      spec.subcomponent = *subcomponent;
    }
  }
  if (!cursor.atEnd()) {
    return std::nullopt;
  }
  return spec;
}

}  // namespace detail

namespace {

using detail::kEvery;
using detail::parsePath;
using detail::PathSpec;

// One position a path selects; nothing when it does not exist.
using Position = std::optional<std::string_view>;

Position descend(Position repetition, const PathSpec& spec, const Delimiters& d) {
  if (!repetition || spec.component == 0) {
    return repetition;
  }
  Position component = detail::pieceOf(*repetition, spec.component, d.component);
  if (!component || spec.subcomponent == 0) {
    return component;
  }
  return detail::pieceOf(*component, spec.subcomponent, d.subcomponent);
}

// Calls visit(Position) for each repetition the path selects in one segment;
// returns false as soon as visit does.
template <class Visit>
bool visitSegment(std::string_view segment, const PathSpec& spec, const Delimiters& d,
                  Visit& visit) {
  Position field = detail::fieldOf(segment, spec.field, d.field);
  if (field && spec.namesDelimiterField()) {
    // Not split: its characters are the separators. Only x(1).1.1 exists.
    bool exists = spec.repetition <= 1 && spec.component <= 1 && spec.subcomponent <= 1;
    return visit(exists ? field : std::nullopt);
  }
  if (!field || spec.repetition != kEvery) {
    Position repetition =
        field ? detail::pieceOf(*field, spec.repetition, d.repetition) : std::nullopt;
    return visit(descend(repetition, spec, d));
  }
  std::string_view rest = *field;
  for (;;) {
    std::size_t cut = rest.find(d.repetition);
    if (!visit(descend(rest.substr(0, cut), spec, d))) {
      return false;
    }
    if (cut == std::string_view::npos) {
      return true;
    }
    rest.remove_prefix(cut + 1);
  }
}

template <class Visit>
void visitPath(const Message& message, const PathSpec& spec, Visit visit) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < message.segmentCount(); ++i) {
    if (message.segmentId(i) != spec.segment) {
      continue;
    }
    ++seen;
    if (spec.occurrence != kEvery && seen != static_cast<std::size_t>(spec.occurrence)) {
      continue;
    }
    if (!visitSegment(message.segmentText(i), spec, message.delimiters(), visit) ||
        spec.occurrence != kEvery) {
      return;
    }
  }
}

}  // namespace

std::string_view Message::raw(std::string_view path) const {
  auto spec = parsePath(path);
  std::string_view found;
  if (spec) {
    visitPath(*this, *spec, [&](Position position) {
      if (position) {
        found = *position;
      }
      return !position;
    });
  }
  return found;
}

std::string Message::decode(std::string_view raw_value) const {
  if (charset_ == Charset::kLatin1) {
    // Escape sequences are ASCII, so converting first leaves them intact.
    return detail::unescapeText(latin1ToUtf8(raw_value), delimiters_, true);
  }
  return detail::unescapeText(raw_value, delimiters_, false);
}

std::vector<std::string_view> Message::rawAll(std::string_view path) const {
  auto spec = parsePath(path);
  std::vector<std::string_view> values;
  if (spec) {
    visitPath(*this, *spec, [&](Position position) {
      values.push_back(position.value_or(std::string_view()));
      return true;
    });
  }
  return values;
}

namespace {

// The value a plain read gives at a position: its first primitive. A path
// that stops above the subcomponents reads the first piece of each level it
// leaves out (HAPI's Terser and python-hl7's extract_field do the same).
std::string_view firstPrimitive(std::string_view position, const PathSpec& spec,
                                const Delimiters& d) {
  if (spec.component == 0) {
    position = position.substr(0, position.find(d.component));
  }
  if (spec.subcomponent == 0) {
    position = position.substr(0, position.find(d.subcomponent));
  }
  return position;
}

// A position as get() (its first primitive) or getEncoded() (all of it)
// reads it: decoded, except MSH-1 and MSH-2, which are the delimiters.
std::string readAt(const Message& message, std::string_view position, const PathSpec& spec,
                   bool primitive) {
  if (spec.namesDelimiterField()) {
    return std::string(position);
  }
  return message.decode(primitive ? firstPrimitive(position, spec, message.delimiters())
                                  : position);
}

// get() and getEncoded(): the first match that exists, "" when none does.
std::string readFirst(const Message& message, std::string_view path, bool primitive) {
  auto spec = parsePath(path);
  if (!spec) {
    return {};
  }
  std::string value;
  visitPath(message, *spec, [&](Position position) {
    if (position) {
      value = readAt(message, *position, *spec, primitive);
    }
    return !position;
  });
  return value;
}

std::vector<std::string> readEvery(const Message& message, std::string_view path, bool primitive) {
  auto spec = parsePath(path);
  std::vector<std::string> values;
  if (!spec) {
    return values;
  }
  visitPath(message, *spec, [&](Position position) {
    values.push_back(position ? readAt(message, *position, *spec, primitive) : std::string());
    return true;
  });
  return values;
}

}  // namespace

std::string Message::get(std::string_view path) const { return readFirst(*this, path, true); }

std::vector<std::string> Message::getAll(std::string_view path) const {
  return readEvery(*this, path, true);
}

std::string Message::getEncoded(std::string_view path) const {
  return readFirst(*this, path, false);
}

std::vector<std::string> Message::getAllEncoded(std::string_view path) const {
  return readEvery(*this, path, false);
}

bool Message::has(std::string_view path) const {
  auto spec = parsePath(path);
  bool found = false;
  if (spec) {
    visitPath(*this, *spec, [&](Position position) {
      found = position.has_value();
      return !found;
    });
  }
  return found;
}

bool Message::isValidPath(std::string_view path) { return parsePath(path).has_value(); }

}  // namespace rtw::hl7v2
