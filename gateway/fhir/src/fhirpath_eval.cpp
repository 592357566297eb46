#include "fhirpath_eval.h"

#include <algorithm>
#include <cctype>

#include "fhirpath_types.h"
#include "fhirpath_values.h"
#include "rtw/fhir/naming_systems.h"

namespace rtw::fhir::detail {
namespace {

rapidjson::Value::ConstMemberIterator findMember(const rapidjson::Value& object,
                                                 std::string_view name) {
  return object.FindMember(rapidjson::Value(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
}

const rapidjson::Value* memberOrNull(const rapidjson::Value& object, std::string_view name) {
  const auto found = findMember(object, name);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

// A child element as an item: it belongs to the parent's resource, unless
// it is a resource itself (a Bundle entry's); contained resources keep
// their container, whose "#id" references they share.
Item child(const Item& parent, const rapidjson::Value* node, const rapidjson::Value* extras,
           std::string_view name, std::string_view type) {
  Item item;
  item.node = node;
  item.extras = extras != nullptr && extras->IsObject() ? extras : nullptr;
  item.owner = parent.owner;
  item.type = type;
  if (node != nullptr && isResource(*node)) {
    item.type = stringMember(*node, "resourceType");
    if (name != "contained") {
      item.owner = node;
    }
  }
  return item;
}

// Adds `value` (and its "_name" sibling `extras`), flattening arrays.
void addValues(const Item& parent, const rapidjson::Value* value, const rapidjson::Value* extras,
               std::string_view name, std::string_view type, Collection& out) {
  const bool value_array = value != nullptr && value->IsArray();
  const bool extras_array = extras != nullptr && extras->IsArray();
  if (!value_array && !extras_array) {
    if ((value != nullptr && !value->IsNull()) || (extras != nullptr && extras->IsObject())) {
      out.push_back(child(parent, value != nullptr && !value->IsNull() ? value : nullptr, extras,
                          name, type));
    }
    return;
  }
  const rapidjson::SizeType values = value_array ? value->Size() : 0;
  const rapidjson::SizeType more = extras_array ? extras->Size() : 0;
  for (rapidjson::SizeType i = 0; i < std::max(values, more); ++i) {
    const rapidjson::Value* element = i < values && !(*value)[i].IsNull() ? &(*value)[i] : nullptr;
    const rapidjson::Value* element_extras = i < more ? &(*extras)[i] : nullptr;
    if (element != nullptr || (element_extras != nullptr && element_extras->IsObject())) {
      out.push_back(child(parent, element, element_extras, name, type));
    }
  }
}

void addMember(const Item& item, std::string_view name, Collection& out) {
  if (item.kind != Item::Kind::kNode) {
    return;
  }
  // A primitive's own members (extension, id) are in its "_name" object.
  const rapidjson::Value* object =
      item.node != nullptr && item.node->IsObject() ? item.node : item.extras;
  if (object == nullptr) {
    return;
  }
  // A type name on a resource of that type is the resource ("Patient.name").
  if (!name.empty() && std::isupper(static_cast<unsigned char>(name[0]))) {
    if (object == item.node && item.type == name && isResource(*item.node)) {
      out.push_back(item);
    }
    return;
  }
  // One pass over the members: the name, its "_name" sibling, and the
  // first choice element of that name (valueQuantity for "value").
  const rapidjson::Value* value = nullptr;
  const rapidjson::Value* extras = nullptr;
  const rapidjson::Value* choice = nullptr;
  std::string_view choice_key;
  std::string_view choice_type;
  const bool may_be_choice = isChoiceName(name);
  for (const auto& member : object->GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key == name) {
      value = value == nullptr ? &member.value : value;  // the first of a repeated key
    } else if (key.size() == name.size() + 1 && key[0] == '_' && key.substr(1) == name) {
      extras = extras == nullptr ? &member.value : extras;
    } else if (may_be_choice && choice == nullptr && key.size() > name.size() &&
               key.substr(0, name.size()) == name) {
      choice_type = choiceSuffixType(key.substr(name.size()));
      if (!choice_type.empty()) {
        choice = &member.value;
        choice_key = key;
      }
    }
  }
  if (value != nullptr || extras != nullptr) {
    addValues(item, value, extras, name, {}, out);
  } else if (choice != nullptr) {
    addValues(item, choice, memberOrNull(*object, "_" + std::string(choice_key)), name, choice_type,
              out);
  }
}

}  // namespace

Item Item::computed(Kind kind, std::string text) {
  Item item;
  item.kind = kind;
  item.text = std::move(text);
  return item;
}

Item Item::ofBoolean(bool value) {
  Item item = computed(Kind::kBoolean, value ? "true" : "false");
  item.boolean = value;
  return item;
}

std::string itemText(const Item& item, const JsonDocument& /*document*/) {
  if (item.kind != Item::Kind::kNode) {
    return item.text;
  }
  if (item.node == nullptr) {
    return {};
  }
  if (item.node->IsString()) {
    return {item.node->GetString(), item.node->GetStringLength()};
  }
  if (item.node->IsBool()) {
    return item.node->GetBool() ? "true" : "false";
  }
  return {};  // objects have no text of their own
}

Item literalItem(const Literal& literal) {
  switch (literal.kind) {
    case Literal::Kind::kBoolean:
      return Item::ofBoolean(literal.text == "true");
    case Literal::Kind::kString:
      return Item::computed(Item::Kind::kString, literal.text);
    case Literal::Kind::kInteger:
      return Item::computed(Item::Kind::kInteger, literal.text);
    case Literal::Kind::kDecimal:
      return Item::computed(Item::Kind::kDecimal, literal.text);
    case Literal::Kind::kDate:
      return Item::computed(Item::Kind::kDate, literal.text);
    case Literal::Kind::kDateTime:
      return Item::computed(Item::Kind::kDateTime, literal.text);
    case Literal::Kind::kTime:
      return Item::computed(Item::Kind::kTime, literal.text);
    case Literal::Kind::kEmpty:
      break;
  }
  return {};
}

Collection Evaluator::root() const {
  Item item;
  item.node = context_.resource;
  item.owner = context_.resource;
  item.type = stringMember(*context_.resource, "resourceType");
  return {item};
}

void Evaluator::fail(const Expr& at, const std::string& message) const {
  throw EvaluationError(message + " (at character " + std::to_string(at.position + 1) + ")");
}

void Evaluator::checkSize(const Collection& items, const Expr& at) const {
  if (items.size() > kMaxCollectionItems) {
    fail(at, "the expression selects more than " + std::to_string(kMaxCollectionItems) +
                 " items, the FHIRPath limit");
  }
}

Collection Evaluator::member(const Collection& input, std::string_view name) const {
  Collection out;
  for (const Item& item : input) {
    addMember(item, name, out);
  }
  return out;
}

Collection Evaluator::perItem(const Expr& lambda, const Item& item, std::size_t index) {
  const std::size_t saved = index_;
  index_ = index;
  Collection result = evaluate(lambda, Collection{item});
  index_ = saved;
  return result;
}

const rapidjson::Value* Evaluator::contained(const rapidjson::Value* owner, std::string_view id) {
  auto [found, added] = contained_.try_emplace(owner);
  if (added) {
    const rapidjson::Value* list = owner->IsObject() ? memberOrNull(*owner, "contained") : nullptr;
    if (list != nullptr && list->IsArray()) {
      for (const auto& resource : list->GetArray()) {
        if (isResource(resource) && !stringMember(resource, "id").empty()) {
          found->second.emplace(stringMember(resource, "id"), &resource);
        }
      }
    }
  }
  const auto hit = found->second.find(id);
  return hit == found->second.end() ? nullptr : hit->second;
}

Collection Evaluator::variable(const Expr& expr) const {
  Collection out;
  for (const std::string_view value : environmentVariable(expr.name)) {
    out.push_back(Item::computed(Item::Kind::kString, std::string(value)));
  }
  if (context_.variables != nullptr && isGatewayVariable(expr.name)) {
    if (const auto set = context_.variables->find(expr.name); set != context_.variables->end()) {
      for (const std::string& value : set->second) {
        out.push_back(Item::computed(Item::Kind::kString, value));
      }
    }
  }
  return out;
}

Collection Evaluator::evaluate(const Expr& expr, const Collection& focus) {
  Collection result;
  switch (expr.kind) {
    case Expr::Kind::kLiteral:
      if (expr.literal.kind != Literal::Kind::kEmpty) {
        result.push_back(literalItem(expr.literal));
      }
      return result;
    case Expr::Kind::kThis:
      return focus;
    case Expr::Kind::kIndexVar:
      return {Item::computed(Item::Kind::kInteger, std::to_string(index_))};
    case Expr::Kind::kVariable:
      return variable(expr);
    case Expr::Kind::kBinary:
      return binary(expr, focus);
    default:
      break;
  }
  return navigate(expr, focus);
}

Collection Evaluator::navigate(const Expr& expr, const Collection& focus) {
  if (expr.kind == Expr::Kind::kMember && !expr.receiver) {
    Collection result = member(focus, expr.name);  // the first name of a path: no copy of the focus
    checkSize(result, expr);
    return result;
  }
  Collection input = expr.receiver ? evaluate(*expr.receiver, focus) : focus;
  Collection result;
  switch (expr.kind) {
    case Expr::Kind::kMember:
      result = member(input, expr.name);
      break;
    case Expr::Kind::kFunction:
      result = expr.function->run(*this, expr, std::move(input), focus);
      break;
    case Expr::Kind::kIndex:
    case Expr::Kind::kEvery: {
      const std::size_t index = expr.kind == Expr::Kind::kIndex ? expr.index : context_.every_index;
      if (index < input.size()) {
        result.push_back(std::move(input[index]));
      }
      break;
    }
    case Expr::Kind::kTypeTest: {
      if (input.size() > 1) {
        fail(expr, "'" + expr.name + "' tests one item, not " + std::to_string(input.size()));
      }
      if (!input.empty()) {
        const bool of_type = isOfType(input.front(), expr.type, document());
        if (expr.name == "is") {
          result.push_back(Item::ofBoolean(of_type));
        } else if (of_type) {
          result.push_back(std::move(input.front()));
        }
      }
      break;
    }
    default:
      break;
  }
  checkSize(result, expr);
  return result;
}

}  // namespace rtw::fhir::detail
