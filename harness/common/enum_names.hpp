#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cdc {

// An enum's values with their names, in one table per enum: the names, the values in table
// order, and the value a name stands for. Header-only, so rooms that link nothing use it.
template <typename E>
using EnumName = std::pair<E, const char*>;

template <typename E, std::size_t N>
std::string name_in(const EnumName<E> (&table)[N], E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <typename E, std::size_t N>
std::vector<E> values_in(const EnumName<E> (&table)[N]) {
  std::vector<E> values;
  for (const auto& [v, name] : table) values.push_back(v);
  return values;
}

template <typename E, std::size_t N>
std::optional<E> value_named(const EnumName<E> (&table)[N], std::string_view text) {
  for (const auto& [v, name] : table) {
    if (text == name) return v;
  }
  return std::nullopt;
}

}  // namespace cdc
