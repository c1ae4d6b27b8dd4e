#include "harness/observer/change_event.hpp"

namespace cdc {

std::string brief(const ChangeEvent& event) {
  std::string text = "op=" + to_string(event.op) + " key=" + event.key.dump();
  if (event.source.lsn) text += " lsn=" + std::to_string(*event.source.lsn);
  if (event.source.tx_id) text += " txId=" + std::to_string(*event.source.tx_id);
  return text + " @" + std::to_string(event.kafka.offset);
}

}  // namespace cdc
