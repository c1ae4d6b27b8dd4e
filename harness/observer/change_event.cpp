#include "harness/observer/change_event.hpp"

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

std::string brief(const ChangeEvent& event) {
  std::string text = "op=" + to_string(event.op) + " key=" + event.key.dump();
  if (event.source.lsn) text += " lsn=" + std::to_string(*event.source.lsn);
  if (event.source.tx_id) text += " txId=" + std::to_string(*event.source.tx_id);
  return text + " @" + std::to_string(event.kafka.offset);
}

}  // namespace cdc
