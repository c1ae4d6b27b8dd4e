#include "harness/stack/toxiproxy_client.hpp"

#include <httplib.h>

#include "harness/common/errors.hpp"

namespace cdc {
using nlohmann::json;

ToxiproxyClient::ToxiproxyClient(const std::string& url)
    : url_(url), client_(std::make_unique<httplib::Client>(url)) {
  client_->set_connection_timeout(2, 0);
  client_->set_read_timeout(10, 0);
}

ToxiproxyClient::~ToxiproxyClient() = default;

namespace {

// The body of a 2xx answer; anything else is an error naming the call.
std::string answer(const httplib::Result& result, const std::string& call, const std::string& url) {
  if (!result) {
    throw HarnessError("Toxiproxy " + call + " on " + url +
                       " failed: " + httplib::to_string(result.error()) +
                       " (is the stack up? try `cdc-harness status`)");
  }
  if (result->status / 100 != 2) {
    const json body = json::parse(result->body, nullptr, false);
    const std::string why = body.is_object() && body.contains("error")
                                ? body["error"].get<std::string>()
                                : result->body;
    throw HarnessError("Toxiproxy " + call + " on " + url + " -> HTTP " +
                       std::to_string(result->status) + ": " + why);
  }
  return result->body;
}

}  // namespace

std::string ToxiproxyClient::version() {
  return answer(client_->Get("/version"), "GET /version", url_);
}

int ToxiproxyClient::create_proxy(const std::string& name, const std::string& upstream) {
  client_->Delete("/proxies/" + name);  // a proxy of that name from an earlier attempt
  const json body = {
      {"name", name}, {"listen", "127.0.0.1:0"}, {"upstream", upstream}, {"enabled", true}};
  const json created = json::parse(
      answer(client_->Post("/proxies", body.dump(), "application/json"), "POST /proxies", url_));
  const std::string listen = created.at("listen").get<std::string>();
  return std::stoi(listen.substr(listen.rfind(':') + 1));
}

void ToxiproxyClient::set_upstream(const std::string& proxy, const std::string& upstream) {
  answer(
      client_->Post("/proxies/" + proxy, json{{"upstream", upstream}}.dump(), "application/json"),
      "POST /proxies/" + proxy, url_);
}

void ToxiproxyClient::set_enabled(const std::string& proxy, bool enabled) {
  answer(client_->Post("/proxies/" + proxy, json{{"enabled", enabled}}.dump(), "application/json"),
         "POST /proxies/" + proxy, url_);
}

void ToxiproxyClient::add_toxic(const std::string& proxy, const Toxic& toxic) {
  const json body = {{"name", toxic.name},
                     {"type", toxic.type},
                     {"stream", toxic.stream},
                     {"toxicity", 1.0},
                     {"attributes", toxic.attributes}};
  answer(client_->Post("/proxies/" + proxy + "/toxics", body.dump(), "application/json"),
         "POST /proxies/" + proxy + "/toxics", url_);
}

void ToxiproxyClient::remove_toxic(const std::string& proxy, const std::string& toxic) {
  answer(client_->Delete("/proxies/" + proxy + "/toxics/" + toxic),
         "DELETE /proxies/" + proxy + "/toxics/" + toxic, url_);
}

json ToxiproxyClient::proxies() {
  return json::parse(answer(client_->Get("/proxies"), "GET /proxies", url_));
}

}  // namespace cdc
