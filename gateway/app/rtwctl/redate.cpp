// rtwctl hl7 redate: sample messages made current. Every date and timestamp
// of a message is moved by the same number of days, so that its MSH-7 (the
// day it says it was sent, the day the golden tests validate it on) becomes
// today: the intervals the board rules check (the 31-day billing window
// counted back from today, authorization periods, deadlines, date order)
// stay as they were, and dates meant to lie ahead (an authorization's end)
// still do. Each message gets its own shift: one shared by a referral of
// March and an invoice of June would put the invoice's services outside
// the billing window.
//
// A date is any field, component or subcomponent that is a whole HL7 DT/TS
// value: YYYYMMDD, optionally followed by HHMM[SS[.S...]] and a +/-HHMM
// offset, naming a real day of 1900-2099. Identifiers that merely contain a
// date ("HP20250303-0001") are left alone.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"
#include "rtw/worksafe/date.h"

namespace rtw::app::cli {
namespace {

using namespace std::chrono;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// The day of a DT/TS value, when `text` is one.
std::optional<sys_days> dayOf(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && isDigit(text[digits])) {
    ++digits;
  }
  std::string_view rest = text.substr(digits);
  if (!rest.empty() && rest[0] == '.' && digits == 14) {
    std::size_t fraction = 1;
    while (fraction < rest.size() && isDigit(rest[fraction])) {
      ++fraction;
    }
    rest.remove_prefix(fraction);
  }
  const bool offset = rest.size() == 5 && (rest[0] == '+' || rest[0] == '-') && isDigit(rest[1]) &&
                      isDigit(rest[2]) && isDigit(rest[3]) && isDigit(rest[4]);
  if ((digits != 8 && digits != 10 && digits != 12 && digits != 14) || (!rest.empty() && !offset)) {
    return std::nullopt;
  }
  const int y = std::stoi(std::string(text.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(text.substr(4, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(text.substr(6, 2))));
  const year_month_day date{year{y}, month{m}, day{d}};
  if (!date.ok() || y < 1900 || y > 2099) {
    return std::nullopt;
  }
  return sys_days(date);
}

std::string formatDay(sys_days when) {
  const year_month_day date(when);
  char text[32];  // room for any int the compiler cannot rule out
  std::snprintf(text, sizeof text, "%04d%02u%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

// Calls `visit` on every value between delimiters; what it returns replaces it.
template <typename Visit>
std::string eachValue(const std::string& text, Visit visit) {
  std::string out;
  std::string delimiters = "\r\n|^~&";
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    // MSH-1 and MSH-2 name the delimiters: taken from each MSH, not changed.
    if (i + 8 <= text.size() && text.compare(i, 3, "MSH") == 0 &&
        (i == 0 || text[i - 1] == '\r' || text[i - 1] == '\n')) {
      delimiters = std::string("\r\n") + text[i + 3] + text.substr(i + 4, 4);
      if (const auto escape = delimiters.find('\\'); escape != std::string::npos) {
        delimiters.erase(escape, 1);  // the escape character is inside values
      }
      out += text.substr(i, 8);
      i += 7;
      start = i + 1;
      continue;
    }
    if (i == text.size() || delimiters.find(text[i]) != std::string::npos) {
      out += visit(std::string_view(text).substr(start, i - start));
      if (i < text.size()) {
        out += text[i];
      }
      start = i + 1;
    }
  }
  return out;
}

std::optional<sys_days> newestMessageDay(const std::string& text) {
  std::optional<sys_days> newest;
  std::size_t at = 0;
  while ((at = text.find("MSH", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\r' || text[at - 1] == '\n') {
      // MSH-7 follows the fifth field separator after the one that is MSH-1.
      const char field = text.size() > at + 3 ? text[at + 3] : '|';
      std::size_t start = at + 3;
      for (int i = 0; i < 5 && start != std::string::npos; ++i) {
        start = text.find(field, start + 1);
      }
      if (start != std::string::npos) {
        const std::size_t end = text.find_first_of(std::string(1, field) + "^\r\n", start + 1);
        const auto day = dayOf(std::string_view(text).substr(start + 1, end - start - 1));
        if (day && (!newest || *day > *newest)) {
          newest = day;
        }
      }
    }
    at += 3;
  }
  return newest;
}

sys_days todayFrom(const Arguments& args) {
  if (!args.has("today")) {
    return sys_days(days(worksafe::Date::today().days()));
  }
  const std::string text = args.value("today", "");
  const auto day = text.size() == 10 ? worksafe::Date::parse(text) : std::nullopt;
  if (!day) {
    throw UsageError("--today needs a date YYYY-MM-DD, not '" + text + "'");
  }
  return sys_days(days(day->days()));
}

// Where each message after the first starts: an MSH at the start of a line.
std::vector<std::size_t> messageStarts(const std::string& text) {
  std::vector<std::size_t> starts;
  for (std::size_t at = text.find("MSH"); at != std::string::npos; at = text.find("MSH", at + 3)) {
    if (at != 0 && (text[at - 1] == '\r' || text[at - 1] == '\n')) {
      starts.push_back(at);
    }
  }
  return starts;
}

// Each message moved so that its own MSH-7 falls on `today`.
std::string redateFile(const std::string& file, const std::string& text, sys_days today) {
  std::vector<std::size_t> cuts = messageStarts(text);
  cuts.insert(cuts.begin(), 0);
  cuts.push_back(text.size());
  std::string out;
  for (std::size_t m = 0; m + 1 < cuts.size(); ++m) {
    const std::string message = text.substr(cuts[m], cuts[m + 1] - cuts[m]);
    const auto sent = newestMessageDay(message);
    if (!sent) {
      throw std::runtime_error(file + ": a message without a date in MSH-7");
    }
    const days shift = today - *sent;
    std::cerr << file << ": MSH-7 " << formatDay(*sent) << " -> " << formatDay(today)
              << ", every date moved by " << shift.count() << " days\n";
    out += eachValue(message, [&](std::string_view value) {
      const auto day = dayOf(value);
      return day ? formatDay(*day + shift) + std::string(value.substr(8)) : std::string(value);
    });
  }
  return out;
}

}  // namespace

int runRedate(const Arguments& args) {
  if (args.files.empty()) {
    throw UsageError("redate needs at least one FILE");
  }
  if (!args.flags.empty()) {
    throw UsageError("unknown option --" + args.flags.front());
  }
  const sys_days today = todayFrom(args);
  for (std::size_t i = 0; i < args.files.size(); ++i) {
    const std::string redated = redateFile(args.files[i], readFile(args.files[i]), today);
    if (args.has("out")) {
      const std::filesystem::path dir = args.value("out", "");
      std::filesystem::create_directories(dir);
      const auto target = dir / std::filesystem::path(args.files[i]).filename();
      std::ofstream out(target, std::ios::binary | std::ios::trunc);
      if (!(out << redated) || !out.flush()) {
        throw std::runtime_error("cannot write " + target.string());
      }
      std::cerr << "wrote " << target.string() << "\n";
    } else {
      // Several files: one after another with a blank line, which
      // rtwctl send (and the gateway's file reader) takes as separate messages.
      std::cout << (i > 0 ? "\n" : "") << redated;
    }
  }
  return kOk;
}

}  // namespace rtw::app::cli
