// Loading a partner's mapping folder: files, code tables, message mappings.

#include <algorithm>
#include <cctype>

#include "checker.h"
#include "rebase.h"
#include "rtw/mapping/mapping.h"
#include "rtw/worksafe/schema.h"
#include "rule_reader.h"
#include "zone_policy.h"

namespace rtw::mapping {

using detail::expectString;
using detail::JsonValue;
using detail::ReadContext;

namespace {

namespace fs = std::filesystem;

JsonValue parseFile(const fs::path& file) {
  JsonValue root;
  try {
    root = config::readJsonFile(file);
  } catch (const config::ConfigError& e) {
    throw MappingError({file.string(), e.line(), "file"}, e.problem());
  }
  if (!root.isObject()) {
    throw MappingError({file.string(), root.line, "file"}, "must hold one JSON object");
  }
  return root;
}

CodeTable readTableEntries(const JsonValue& json, const ReadContext& context) {
  if (!json.isObject()) {
    context.fail(json, "a code table is an object of source code to target code");
  }
  CodeTable table;
  table.where = context.at(json);
  for (const auto& [code, value] : json.members) {
    const std::string target = expectString(value, context, "code");
    if (code == "*") {
      table.fallback = target;
    } else {
      table.codes[code] = target;
    }
  }
  return table;
}

}  // namespace

class MappingLoader {
 public:
  MappingLoader(const fs::path& dir, const worksafe::SchemaSet& schemas,
                const MappingOptions& options)
      : set_(std::make_shared<MappingSet>()), schemas_(schemas) {
    set_->dir_ = dir;
    set_->options_ = options;
  }

  std::shared_ptr<const MappingSet> load() {
    if (!fs::is_directory(set_->dir_)) {
      throw MappingError({set_->dir_.string(), 0, "folder"}, "mapping folder not found");
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(set_->dir_)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    std::vector<std::pair<fs::path, JsonValue>> parsed;
    for (const auto& file : files) {
      parsed.emplace_back(file, parseFile(file));
    }
    // Tables first: a mapping may use a table another file of the folder defines.
    for (const auto& [file, root] : parsed) {
      readHeader(file, root);
    }
    for (const auto& [file, root] : parsed) {
      readMessages(file, root);
    }
    if (set_->messages_.empty()) {
      throw MappingError({set_->dir_.string(), 0, "folder"}, "no message mapping in the folder");
    }
    return set_;
  }

 private:
  void readHeader(const fs::path& file, const JsonValue& root) {
    set_->files_.push_back(file);
    ReadContext context{file.string(), "file"};
    for (const auto& [key, value] : root.members) {
      if (key != "description" && key != "timeZone" && key != "tables" && key != "messages") {
        context.fail(value, "unknown key '" + key + "' (description, timeZone, tables, messages)");
      }
    }
    if (const JsonValue* zone = root.find("timeZone")) {
      const ReadContext zone_context{file.string(), "timeZone"};
      if (!zone_file_.empty()) {
        zone_context.fail(*zone, "'timeZone' is set in " + zone_file_ +
                                     " already: one policy per mapping folder");
      }
      set_->zone_ = detail::readZonePolicy(*zone, zone_context, TimeZoneCache::system());
      zone_file_ = file.string();
    }
    if (const JsonValue* tables = root.find("tables")) {
      if (!tables->isObject()) {
        context.fail(*tables, "'tables' must be an object of named code tables");
      }
      for (const auto& [name, table] : tables->members) {
        readTable(file, name, table);
      }
    }
  }

  void readTable(const fs::path& file, const std::string& name, const JsonValue& json) {
    const ReadContext context{file.string(), "table " + name};
    if (set_->tables_.count(name) != 0) {
      context.fail(json, "table '" + name + "' is defined twice");
    }
    if (!json.isString()) {
      set_->tables_[name] = readTableEntries(json, context);
      return;
    }
    // A table in its own file, beside the mappings.
    const fs::path table_file = (set_->dir_ / json.text).lexically_normal();
    if (table_file.parent_path() != set_->dir_.lexically_normal() &&
        table_file.parent_path().parent_path() != set_->dir_.lexically_normal()) {
      context.fail(json, "a table file must be in the mapping folder or one below it");
    }
    if (!fs::is_regular_file(table_file)) {
      context.fail(json, "table file '" + json.text + "' not found");
    }
    const JsonValue entries = parseFile(table_file);
    set_->files_.push_back(table_file);
    set_->tables_[name] = readTableEntries(entries, {table_file.string(), "table " + name});
  }

  void readMessages(const fs::path& file, const JsonValue& root) {
    const JsonValue* messages = root.find("messages");
    if (messages == nullptr) {
      return;
    }
    const ReadContext context{file.string(), "messages"};
    if (!messages->isObject()) {
      context.fail(*messages, "'messages' must be an object keyed by message type");
    }
    for (const auto& [type, json] : messages->members) {
      ReadContext message_context{file.string(), type};
      message_context.format = sourceFormatOf(type);
      if (message_context.format == SourceFormat::kFhir) {
        message_context.resource_type = type;
      }
      if (message_context.format == SourceFormat::kCsv && type.size() == 4) {
        message_context.fail(json, "a CSV mapping is keyed \"csv:KIND\", e.g. \"csv:enrolment\"");
      }
      if (set_->messages_.count(type) != 0) {
        message_context.fail(json, "message type " + type + " is mapped twice");
      }
      MessageMapping mapping = readMessage(type, json, message_context);
      detail::checkMapping(mapping, *set_, schemas_);
      if (set_->options_.require_complete) {
        detail::checkRequiredElements(mapping, schemas_);
      }
      set_->messages_.emplace(type, std::move(mapping));
    }
  }

  MessageMapping readMessage(const std::string& type, const JsonValue& json,
                             const ReadContext& context) {
    if (!json.isObject()) {
      context.fail(json, "a message mapping is an object with document and fields");
    }
    for (const auto& [key, value] : json.members) {
      if (key != "document" && key != "fields" && key != "repeat" && key != "totals" &&
          key != "description" && key != "extends" && key != "through") {
        context.fail(value, "unknown key '" + key +
                                "' (document, extends, through, fields, repeat, totals)");
      }
    }
    MessageMapping mapping;
    mapping.where = context.at(json);
    mapping.message_type = type;
    const JsonValue* document = json.find("document");
    if (document == nullptr) {
      context.fail(json, "'document' is required (referral, report, invoice, training-report)");
    }
    const auto kind = worksafe::documentTypeFromName(expectString(*document, context, "document"));
    if (!kind || !schemas_.has(*kind)) {
      context.fail(*document, "unknown document '" + document->text + "'");
    }
    mapping.document = *kind;
    mapping.fields = readFields(json.find("fields"), context);
    mapping.totals = readFields(json.find("totals"), context);
    if (const JsonValue* base = json.find("extends")) {
      inherit(mapping, *base, json.find("through"), context);
    } else if (const JsonValue* through = json.find("through")) {
      context.fail(*through, "'through' goes with 'extends'");
    }
    if (const JsonValue* repeats = json.find("repeat")) {
      if (!repeats->isArray()) {
        context.fail(*repeats, "'repeat' must be a list of repeats");
      }
      for (const auto& repeat : repeats->items) {
        mapping.repeats.push_back(detail::readRepeat(repeat, context));
      }
    }
    return mapping;
  }

  // "extends": another message type's rules first; a field of this mapping
  // replaces the base's rule for the same target, repeats add to the base's.
  // "through" (FHIR): the base is another resource type, read through a
  // path of this one (rebase.h).
  void inherit(MessageMapping& mapping, const JsonValue& json, const JsonValue* through,
               const ReadContext& context) {
    const std::string name = expectString(json, context, "extends");
    const MessageMapping* found = set_->find(name);
    if (found == nullptr) {
      context.fail(json, "'extends' names " + name +
                             ", which is not mapped before this message (same or earlier file)");
    }
    if (found->document != mapping.document) {
      context.fail(json, "'extends' " + name + " builds another document");
    }
    MessageMapping rebased;
    const MessageMapping* base = found;
    if (through != nullptr) {
      rebased = rebasedBase(*found, *through, context);
      base = &rebased;
    }
    // In the base's order, so that "field" conditions still see what comes before them.
    auto merge = [](const std::vector<ValueRule>& inherited, std::vector<ValueRule>& own) {
      std::vector<ValueRule> merged;
      for (const auto& rule : inherited) {
        auto mine = std::find_if(own.begin(), own.end(),
                                 [&](const ValueRule& r) { return r.target == rule.target; });
        merged.push_back(mine == own.end() ? rule : *mine);
      }
      for (const auto& rule : own) {
        const bool placed =
            std::any_of(inherited.begin(), inherited.end(),
                        [&](const ValueRule& r) { return r.target == rule.target; });
        if (!placed) {
          merged.push_back(rule);
        }
      }
      own = std::move(merged);
    };
    merge(base->fields, mapping.fields);
    merge(base->totals, mapping.totals);
    mapping.repeats = base->repeats;
  }

  // The base's rules with their FHIRPaths starting at `through`.
  static MessageMapping rebasedBase(const MessageMapping& base, const JsonValue& through,
                                    const ReadContext& context) {
    const std::string path = expectString(through, context, "through");
    if (context.format != SourceFormat::kFhir ||
        sourceFormatOf(base.message_type) != SourceFormat::kFhir) {
      context.fail(through, "'through' reads one FHIR resource type through another");
    }
    detail::checkFhirRule(through, path, context, false);
    MessageMapping rebased = base;
    std::string why = detail::rebaseFhirPaths(rebased.fields, base.message_type, path);
    if (why.empty()) {
      why = detail::rebaseFhirPaths(rebased.totals, base.message_type, path);
    }
    if (why.empty()) {
      why = detail::rebaseFhirPaths(rebased.repeats, base.message_type, path);
    }
    if (!why.empty()) {
      context.fail(through, "the " + base.message_type + " rules cannot be read through '" + path +
                                "': " + why);
    }
    return rebased;
  }

  static std::vector<ValueRule> readFields(const JsonValue* json, const ReadContext& context) {
    std::vector<ValueRule> rules;
    if (json == nullptr) {
      return rules;
    }
    if (!json->isObject()) {
      context.fail(*json, "'fields' must be an object of target paths and rules");
    }
    for (const auto& [target, rule] : json->members) {
      ReadContext field_context = context;
      field_context.rule = context.rule + " " + target;
      rules.push_back(detail::readValueRule(rule, field_context, target));
    }
    return rules;
  }

  std::shared_ptr<MappingSet> set_;
  const worksafe::SchemaSet& schemas_;
  std::string zone_file_;  // the file that set the time zone policy
};

SourceFormat sourceFormatOf(std::string_view message_type) {
  if (message_type.substr(0, 4) == "csv:") {
    return SourceFormat::kCsv;
  }
  const bool resource_type =
      !message_type.empty() && std::isupper(static_cast<unsigned char>(message_type[0])) &&
      std::all_of(message_type.begin(), message_type.end(),
                  [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
  return resource_type ? SourceFormat::kFhir : SourceFormat::kHl7;
}

std::string format(const RuleLocation& where) {
  return where.file + ":" + std::to_string(where.line) + " (rule " + where.rule + ")";
}

MappingError::MappingError(RuleLocation where, const std::string& message)
    : std::runtime_error(format(where) + ": " + message),
      where_(std::move(where)),
      problem_(message) {}

std::shared_ptr<const MappingSet> MappingSet::load(const fs::path& dir,
                                                   const worksafe::SchemaSet& schemas,
                                                   const MappingOptions& options) {
  return MappingLoader(dir, schemas, options).load();
}

const MessageMapping* MappingSet::find(std::string_view message_type) const {
  auto it = messages_.find(message_type);
  return it == messages_.end() ? nullptr : &it->second;
}

const CodeTable* MappingSet::table(std::string_view name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

std::vector<std::string> MappingSet::messageTypes() const {
  std::vector<std::string> types;
  for (const auto& [type, mapping] : messages_) {
    types.push_back(type);
  }
  return types;
}

}  // namespace rtw::mapping
