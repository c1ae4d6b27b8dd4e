#include "harness/model/op.hpp"

namespace cdc {

std::string to_string(Op op) {
  switch (op) {
    case Op::Read:
      return "r";
    case Op::Create:
      return "c";
    case Op::Update:
      return "u";
    case Op::Delete:
      return "d";
    case Op::Truncate:
      return "t";
    case Op::Message:
      return "m";
    case Op::Tombstone:
      return "tombstone";
  }
  return "?";
}

}  // namespace cdc
