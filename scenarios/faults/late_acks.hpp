#pragma once
#include <iostream>
#include <string>
#include <utility>

#include "harness/stack/toxiproxy_client.hpp"

namespace cdc::scenarios {

// The broker's answers to Connect held back `latency_ms` until removed (at the latest when
// the scenario ends, so a failure leaves the fault stack as it found it). Records reach Kafka
// at once, their acks late: Kafka always holds records past the offset Connect committed.
class LateAcks {
 public:
  LateAcks(const std::string& toxiproxy_url, int latency_ms) : proxy_(toxiproxy_url) {
    proxy_.add_toxic(kKafkaProxy,
                     Toxic{"late-acks", "latency", "downstream", {{"latency", latency_ms}}});
  }
  ~LateAcks() {
    try {
      remove();
    } catch (const std::exception& e) {
      std::cerr << "could not remove the late acks: " << e.what() << "\n";
    }
  }
  LateAcks(const LateAcks&) = delete;
  LateAcks& operator=(const LateAcks&) = delete;

  // From now on no answer reaches Connect (Toxiproxy drops them): records and offset commits
  // already on their way still land in Kafka, but Connect learns of no more acks, so the
  // offset it has committed can cover nothing sent after this.
  void hold() {
    proxy_.add_toxic(kKafkaProxy, Toxic{"held-acks", "timeout", "downstream", {{"timeout", 0}}});
    held_ = true;
  }

  void remove() {
    if (std::exchange(held_, false)) proxy_.remove_toxic(kKafkaProxy, "held-acks");
    if (std::exchange(on_, false)) proxy_.remove_toxic(kKafkaProxy, "late-acks");
  }

 private:
  ToxiproxyClient proxy_;
  bool on_ = true;
  bool held_ = false;
};

}  // namespace cdc::scenarios
