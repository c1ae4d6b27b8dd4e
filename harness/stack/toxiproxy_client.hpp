#pragma once
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace httplib {
class Client;
}

namespace cdc {

// The proxies the native stack puts on Connect's network paths, by name.
inline constexpr const char* kPostgresProxy = "connect-postgres";  // Connect -> Postgres
inline constexpr const char* kKafkaProxy = "connect-kafka";        // Connect -> the broker

// A toxic as Toxiproxy's API takes it: `type` latency, bandwidth, timeout, slicer, ...;
// `stream` downstream (server -> client) or upstream (client -> server).
struct Toxic {
  std::string name{};
  std::string type{};
  std::string stream = "downstream";
  nlohmann::json attributes = nlohmann::json::object();
};

// Toxiproxy's HTTP API (https://github.com/Shopify/toxiproxy#http-api). Every call throws a
// HarnessError naming the call and what Toxiproxy answered.
class ToxiproxyClient {
 public:
  explicit ToxiproxyClient(const std::string& url);
  ~ToxiproxyClient();

  std::string version();
  // Creates (or replaces) a proxy on a port the kernel picks; returns that port.
  int create_proxy(const std::string& name, const std::string& upstream);
  // Points an existing proxy at another upstream; its listening port stays.
  void set_upstream(const std::string& proxy, const std::string& upstream);
  // Disabled: every connection through it is closed and new ones are refused.
  void set_enabled(const std::string& proxy, bool enabled);
  void add_toxic(const std::string& proxy, const Toxic& toxic);
  void remove_toxic(const std::string& proxy, const std::string& toxic);
  nlohmann::json proxies();

 private:
  std::string url_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace cdc
