#include "harness/observer/schema_registry.hpp"

#include <httplib.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "harness/observer/envelope_decoder.hpp"

namespace cdc {

namespace {

struct Registry {
  std::mutex mutex;
  std::string url;
  std::map<int32_t, std::string> schemas;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

void use_schema_registry(const std::string& url) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (r.url != url) r.schemas.clear();
  r.url = url;
}

std::string fetch_writer_schema(int32_t id) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto found = r.schemas.find(id); found != r.schemas.end()) return found->second;
  const std::string what = "the writer schema of id " + std::to_string(id);
  if (r.url.empty()) {
    throw DecodeError("an Avro record (schema id " + std::to_string(id) +
                      ") on a stack whose endpoints name no schema registry: bring the stack "
                      "up with --converter avro, or set CDC_EXTERNAL_SCHEMA_REGISTRY_URL");
  }
  httplib::Client client(r.url);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  const std::string path = "/apis/ccompat/v7/schemas/ids/" + std::to_string(id);
  const auto response = client.Get(path);
  if (!response) {
    throw DecodeError("cannot fetch " + what + " from " + r.url + path + ": " +
                      httplib::to_string(response.error()));
  }
  if (response->status != 200) {
    throw DecodeError(r.url + path + " answered HTTP " + std::to_string(response->status) +
                      " for " + what + ": " + response->body.substr(0, 200));
  }
  const auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (!body.is_object() || !body.contains("schema") || !body["schema"].is_string())
    throw DecodeError(r.url + path +
                      " answered without a schema: " + response->body.substr(0, 200));
  return r.schemas[id] = body["schema"].get<std::string>();
}

}  // namespace cdc
