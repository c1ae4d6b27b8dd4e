#pragma once
#include <string>

namespace cdc {

// Debezium's op codes, plus the tombstone Kafka gets after a delete (a null value).
enum class Op { Read, Create, Update, Delete, Truncate, Message, Tombstone };

std::string to_string(Op op);  // "r", "c", "u", "d", "t", "m", "tombstone"

}  // namespace cdc
