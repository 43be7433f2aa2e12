#include "service/server/http/request_binding.h"

#include <cmath>
#include <limits>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/util/json_util.h"
#include "service/server/http/status_mapping.h"

namespace factgraph::server::http {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding: %XX and '+' for a space.
absl::StatusOr<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "'%' at character ", i + 1, " is not followed by two hex digits"));
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

absl::Status BindingError(absl::string_view field, absl::string_view message) {
  return WithFieldViolation(absl::InvalidArgumentError(message), field);
}

// A field of `message` by its proto name or its JSON name.
const FieldDescriptor* FindField(const google::protobuf::Descriptor* message,
                                 absl::string_view name) {
  if (const FieldDescriptor* field =
          message->FindFieldByName(std::string(name))) {
    return field;
  }
  for (int i = 0; i < message->field_count(); ++i) {
    if (message->field(i)->json_name() == name) return message->field(i);
  }
  return nullptr;
}

// Sets (or, for a repeated field, appends) the scalar `field` of `message`
// from `text` as the JSON mapping reads a quoted value; the error says what
// was expected.
absl::Status SetFromText(Message* message, const FieldDescriptor* field,
                         absl::string_view text) {
  const Reflection* reflection = message->GetReflection();
  const bool repeated = field->is_repeated();
  auto expected = [&](absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", absl::CHexEscape(text), "\" is not ", what));
  };
  // Sets the value with reflection's setter for a singular field, or appends
  // it with its adder for a repeated one.
  auto store = [&](auto set, auto add, auto value) {
    repeated ? (reflection->*add)(message, field, value)
             : (reflection->*set)(message, field, value);
    return absl::OkStatus();
  };
  auto store_integer = [&](auto value, absl::string_view what, auto set,
                           auto add) {
    if (!absl::SimpleAtoi(text, &value)) return expected(what);
    return store(set, add, value);
  };
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string value(text);
      if (field->type() == FieldDescriptor::TYPE_BYTES) {
        if (!absl::Base64Unescape(text, &value) &&
            !absl::WebSafeBase64Unescape(text, &value)) {
          return expected("base64");
        }
      } else if (!google::protobuf::internal::IsStructurallyValidUTF8(
                     value.data(), static_cast<int>(value.size()))) {
        return absl::InvalidArgumentError("the value is not valid UTF-8");
      }
      repeated ? reflection->AddString(message, field, std::move(value))
               : reflection->SetString(message, field, std::move(value));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32:
      return store_integer(int32_t{}, "a 32-bit integer", &Reflection::SetInt32,
                           &Reflection::AddInt32);
    case FieldDescriptor::CPPTYPE_INT64:
      return store_integer(int64_t{}, "a 64-bit integer", &Reflection::SetInt64,
                           &Reflection::AddInt64);
    case FieldDescriptor::CPPTYPE_UINT32:
      return store_integer(uint32_t{}, "an unsigned 32-bit integer",
                           &Reflection::SetUInt32, &Reflection::AddUInt32);
    case FieldDescriptor::CPPTYPE_UINT64:
      return store_integer(uint64_t{}, "an unsigned 64-bit integer",
                           &Reflection::SetUInt64, &Reflection::AddUInt64);
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double value;
      if (text == "NaN") {
        value = std::numeric_limits<double>::quiet_NaN();
      } else if (text == "Infinity") {
        value = std::numeric_limits<double>::infinity();
      } else if (text == "-Infinity") {
        value = -std::numeric_limits<double>::infinity();
      } else if (!absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
        return expected("a number");
      }
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        return store(&Reflection::SetFloat, &Reflection::AddFloat,
                     static_cast<float>(value));
      }
      return store(&Reflection::SetDouble, &Reflection::AddDouble, value);
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool value;
      if (text == "true" || text == "1") {
        value = true;
      } else if (text == "false" || text == "0") {
        value = false;
      } else {
        return expected("true or false");
      }
      return store(&Reflection::SetBool, &Reflection::AddBool, value);
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      int number;
      if (const auto* value =
              field->enum_type()->FindValueByName(std::string(text))) {
        number = value->number();
      } else if (!absl::SimpleAtoi(text, &number)) {
        return expected(
            absl::StrCat("a value of ", field->enum_type()->full_name()));
      }
      return store(&Reflection::SetEnumValue, &Reflection::AddEnumValue,
                   number);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      // Well-known types written as one JSON string (Timestamp, Duration,
      // FieldMask, the wrappers).
      Message* target = repeated ? reflection->AddMessage(message, field)
                                 : reflection->MutableMessage(message, field);
      const std::string json =
          absl::StrCat("\"", absl::Utf8SafeCEscape(text), "\"");
      if (!google::protobuf::util::JsonStringToMessage(json, target).ok()) {
        return expected(absl::StrCat("a ", field->message_type()->full_name(),
                                     " in its JSON form"));
      }
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError("unsupported field type");
}

// Resolves a dotted field path of `request` to its leaf field, creating the
// messages on the way; `set` holds the singular leaves already bound.
absl::Status SetPath(Message* request, absl::string_view path,
                     absl::string_view text, absl::string_view what,
                     absl::flat_hash_set<std::string>* set) {
  Message* message = request;
  const std::vector<absl::string_view> names = absl::StrSplit(path, '.');
  std::string canonical;
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field =
        FindField(message->GetDescriptor(), names[i]);
    if (field == nullptr) {
      return BindingError(
          path,
          absl::StrCat(what, " \"", absl::CHexEscape(path),
                       "\": ", message->GetDescriptor()->full_name(),
                       " has no field \"", absl::CHexEscape(names[i]), "\""));
    }
    absl::StrAppend(&canonical, i == 0 ? "" : ".", field->name());
    const bool leaf = i + 1 == names.size();
    if (!leaf) {
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
          field->is_repeated()) {
        return BindingError(
            canonical,
            absl::StrCat(what, " \"", canonical, "\": \"", field->name(),
                         "\" is not a singular message field"));
      }
      message = message->GetReflection()->MutableMessage(message, field);
      continue;
    }
    if (field->is_map() ||
        (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         field->message_type()->file()->package() != "google.protobuf")) {
      return BindingError(canonical,
                          absl::StrCat(what, " \"", canonical,
                                       "\": a message field is set in a JSON "
                                       "body, not from a parameter"));
    }
    if (!field->is_repeated() && !set->insert(canonical).second) {
      return BindingError(
          canonical, absl::StrCat(what, " \"", canonical, "\" is given twice"));
    }
    if (absl::Status status = SetFromText(message, field, text); !status.ok()) {
      return BindingError(canonical, absl::StrCat(what, " \"", canonical,
                                                  "\": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<QueryParameters> ParseQueryString(absl::string_view query) {
  QueryParameters parameters;
  if (query.empty()) return parameters;
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    absl::StatusOr<std::string> name = PercentDecode(pair.substr(0, equals));
    if (!name.ok()) {
      return BindingError(
          "", absl::StrCat("query parameter \"", absl::CHexEscape(pair),
                           "\": ", name.status().message()));
    }
    absl::StatusOr<std::string> value = PercentDecode(
        equals == absl::string_view::npos ? absl::string_view()
                                          : pair.substr(equals + 1));
    if (!value.ok()) {
      return BindingError(
          *name, absl::StrCat("query parameter \"", absl::CHexEscape(*name),
                              "\": ", value.status().message()));
    }
    parameters.emplace_back(*std::move(name), *std::move(value));
  }
  return parameters;
}

bool IsSystemParameter(absl::string_view name) { return name == "timeout"; }

absl::Status BindRequest(absl::string_view body_rule,
                         const PathBindings& bindings,
                         const QueryParameters& query, absl::string_view body,
                         google::protobuf::Message* request) {
  absl::flat_hash_set<std::string> set;
  if (body_rule.empty()) {
    if (!body.empty()) {
      return BindingError("",
                          "this method takes no request body; its fields "
                          "are query parameters");
    }
  } else {
    std::string json(body.empty() ? absl::string_view("{}") : body);
    if (body_rule != "*") {
      // The body is the one field: parsed as that field of the request.
      const FieldDescriptor* field =
          FindField(request->GetDescriptor(), body_rule);
      json = absl::StrCat("{\"", field == nullptr ? "" : field->json_name(),
                          "\":", json, "}");
      set.insert(std::string(body_rule));
    }
    const google::protobuf::util::Status parsed =
        google::protobuf::util::JsonStringToMessage(json, request);
    if (!parsed.ok()) {
      return BindingError(
          "", absl::StrCat("request body is not a JSON ",
                           request->GetDescriptor()->full_name(), ": ",
                           std::string(parsed.message())));
    }
  }
  for (const auto& [path, value] : bindings) {
    if (absl::Status status =
            SetPath(request, path, value, "path variable", &set);
        !status.ok()) {
      return status;
    }
  }
  for (const auto& [name, value] : query) {
    if (IsSystemParameter(name)) continue;
    if (body_rule == "*") {
      return BindingError(
          name, absl::StrCat("query parameter \"", absl::CHexEscape(name),
                             "\": this method takes its "
                             "fields in the JSON body"));
    }
    if (absl::Status status =
            SetPath(request, name, value, "query parameter", &set);
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace factgraph::server::http
