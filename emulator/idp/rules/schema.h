// The user-pool attribute schema: the standard (OIDC) attributes every pool has, and the rules
// for merging CreateUserPool's Schema and AddCustomAttributes into it. Pure: no store, no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cogemu::idp::rules {

// SchemaAttributeType objects for the standard attributes, as DescribeUserPool shows them.
nlohmann::json StandardSchema();

bool IsStandardAttribute(std::string_view name);

// Applies CreateUserPool's `Schema` list to the standard schema. Throws ApiError
// (InvalidParameterException) for an invalid entry.
nlohmann::json BuildSchema(const nlohmann::json& requested);

// Appends AddCustomAttributes' entries as custom:<name> (or dev:custom:<name>).
// Throws ApiError for duplicates, standard names or the 50-attribute limit.
void AddCustomAttributes(nlohmann::json& schema, const nlohmann::json& custom);

inline constexpr size_t kMaxCustomAttributes = 50;

}  // namespace cogemu::idp::rules
