#include "harness/connector/connect_client.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "harness/common/errors.hpp"

namespace cdc {

ConnectClient::ConnectClient(const std::string& url)
    : url_(url), client_(std::make_unique<httplib::Client>(url)) {
  client_->set_connection_timeout(2, 0);
  client_->set_read_timeout(30, 0);
  client_->set_write_timeout(10, 0);
}

ConnectClient::~ConnectClient() = default;

namespace {
HttpResponse convert(const httplib::Result& result, const std::string& method,
                     const std::string& url) {
  if (!result) {
    throw HarnessError("Kafka Connect REST " + method + " " + url +
                       " failed: " + httplib::to_string(result.error()) +
                       " (is the stack up? try `cdc-harness status`)");
  }
  return {result->status, result->body};
}
}  // namespace

HttpResponse ConnectClient::get(const std::string& path) {
  return convert(client_->Get(path), "GET", url_ + path);
}

HttpResponse ConnectClient::put_json(const std::string& path, const std::string& body) {
  return convert(client_->Put(path, body, "application/json"), "PUT", url_ + path);
}

HttpResponse ConnectClient::post(const std::string& path) {
  return convert(client_->Post(path, "", "application/json"), "POST", url_ + path);
}

HttpResponse ConnectClient::del(const std::string& path) {
  return convert(client_->Delete(path), "DELETE", url_ + path);
}

std::string connect_error_message(const HttpResponse& response) {
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    return body["message"].get<std::string>();
  }
  return response.body.empty() ? "HTTP " + std::to_string(response.status) : response.body;
}

}  // namespace cdc
