#include "zone_policy.h"

#include <cctype>
#include <chrono>

namespace rtw::mapping::detail {
namespace {

constexpr const char* kForms =
    "'timeZone' must be \"reject\", \"UTC\", an offset such as \"-08:00\", a zone such as "
    "\"America/Vancouver\" or {\"name\": ZONE, \"gap\": ..., \"overlap\": ...}";

std::optional<int> fixedOffsetMinutes(const std::string& text) {
  const auto digit = [&](std::size_t i) {
    return std::isdigit(static_cast<unsigned char>(text[i]));
  };
  const bool shaped = text.size() == 6 && (text[0] == '+' || text[0] == '-') && text[3] == ':' &&
                      digit(1) && digit(2) && digit(4) && digit(5);
  const int minutes = shaped ? std::stoi(text.substr(1, 2)) * 60 + std::stoi(text.substr(4, 2)) : 0;
  if (!shaped || minutes > 14 * 60 + 59 || text[4] > '5') {
    return std::nullopt;
  }
  return text[0] == '-' ? -minutes : minutes;
}

ZonePolicy namedZone(const JsonValue& json, const ReadContext& context, TimeZoneCache& zones) {
  ZonePolicy policy;
  policy.mode = ZonePolicy::Mode::kNamed;
  try {
    policy.zone = zones.get(json.text);
  } catch (const TimeZoneError& error) {
    context.fail(json, error.what());
  }
  return policy;
}

// {"name": "America/Vancouver", "gap": "reject"|"later", "overlap": "reject"|"earlier"|"later"}
ZonePolicy readZoneObject(const JsonValue& json, const ReadContext& context, TimeZoneCache& zones) {
  for (const auto& [key, value] : json.members) {
    if (key != "name" && key != "gap" && key != "overlap") {
      context.fail(value, "unknown key '" + key + "' in 'timeZone' (name, gap, overlap)");
    }
  }
  const JsonValue* name = json.find("name");
  if (name == nullptr) {
    context.fail(json,
                 "'timeZone' as an object needs \"name\": a zone such as \"America/Vancouver\"");
  }
  expectString(*name, context, "name");
  ZonePolicy policy = namedZone(*name, context, zones);
  if (const JsonValue* gap = json.find("gap")) {
    const std::string text = expectString(*gap, context, "gap");
    if (text != "reject" && text != "later") {
      context.fail(*gap, "'gap' must be \"reject\" or \"later\"");
    }
    policy.gap = text == "later" ? ZonePolicy::Gap::kLater : ZonePolicy::Gap::kReject;
  }
  if (const JsonValue* overlap = json.find("overlap")) {
    const std::string text = expectString(*overlap, context, "overlap");
    if (text != "reject" && text != "earlier" && text != "later") {
      context.fail(*overlap, "'overlap' must be \"reject\", \"earlier\" or \"later\"");
    }
    policy.overlap = text == "earlier" ? ZonePolicy::Overlap::kEarlier
                     : text == "later" ? ZonePolicy::Overlap::kLater
                                       : ZonePolicy::Overlap::kReject;
  }
  return policy;
}

std::int64_t localSeconds(const hl7v2::Timestamp& ts) {
  using namespace std::chrono;
  const sys_days day{year{ts.year} / month{unsigned(ts.month)} /
                     std::chrono::day{unsigned(ts.day)}};
  return std::int64_t{day.time_since_epoch().count()} * 86400 + ts.hour * 3600 + ts.minute * 60 +
         ts.second;
}

void setLocal(hl7v2::Timestamp& ts, std::int64_t local) {
  using namespace std::chrono;
  const auto day = floor<days>(sys_seconds{seconds{local}});
  const year_month_day date{day};
  const std::int64_t second_of_day = local - std::int64_t{day.time_since_epoch().count()} * 86400;
  ts.year = int(date.year());
  ts.month = int(unsigned(date.month()));
  ts.day = int(unsigned(date.day()));
  ts.hour = int(second_of_day / 3600);
  ts.minute = int(second_of_day / 60 % 60);
  ts.second = int(second_of_day % 60);
}

}  // namespace

ZonePolicy readZonePolicy(const JsonValue& json, const ReadContext& context, TimeZoneCache& zones) {
  if (json.isObject()) {
    return readZoneObject(json, context, zones);
  }
  const std::string text = expectString(json, context, "timeZone");
  ZonePolicy policy;
  if (text == "reject") {
    return policy;
  }
  if (text == "UTC") {
    policy.mode = ZonePolicy::Mode::kFixedOffset;
    return policy;
  }
  if (text.empty() || text[0] == '+' || text[0] == '-') {
    const auto minutes = fixedOffsetMinutes(text);
    if (!minutes) {
      context.fail(json, kForms);
    }
    policy.mode = ZonePolicy::Mode::kFixedOffset;
    policy.offset_minutes = *minutes;
    return policy;
  }
  return namedZone(json, context, zones);
}

std::string applyZonePolicy(hl7v2::Timestamp& ts, const ZonePolicy& policy) {
  if (policy.mode == ZonePolicy::Mode::kReject) {
    return "the timestamp has no UTC offset and the mapping's timeZone policy is reject";
  }
  if (policy.mode == ZonePolicy::Mode::kFixedOffset) {
    ts.offset_minutes = policy.offset_minutes;
    return {};
  }
  const TimeZone& zone = *policy.zone;
  const std::int64_t local = localSeconds(ts);
  const WallTime wall = zone.resolve(local);
  std::int32_t offset = wall.before;
  if (wall.fit == WallTime::Fit::kGap) {
    if (policy.gap == ZonePolicy::Gap::kReject) {
      return "the local time does not exist in " + zone.name() +
             " (skipped when the clocks went forward) and the timeZone policy's gap is reject";
    }
    // "later": read with the offset before the change, as if the clock had
    // not been put forward yet; written as the zone's wall time then.
    const std::int64_t utc = local - wall.before;
    offset = zone.offsetAt(utc);
    setLocal(ts, utc + offset);
  } else if (wall.fit == WallTime::Fit::kOverlap) {
    if (policy.overlap == ZonePolicy::Overlap::kReject) {
      return "the local time happens twice in " + zone.name() +
             " (the clocks went back) and the timeZone policy's overlap is reject";
    }
    offset = policy.overlap == ZonePolicy::Overlap::kEarlier ? wall.before : wall.after;
  }
  if (offset % 60 != 0) {
    return "the UTC offset of " + zone.name() +
           " at that time is not whole minutes (local mean time, before the zone's first "
           "transition), which a dateTime cannot carry";
  }
  ts.offset_minutes = offset / 60;
  return {};
}

}  // namespace rtw::mapping::detail
