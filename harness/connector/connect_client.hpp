#pragma once
#include <memory>
#include <string>

namespace httplib {
class Client;
}

namespace cdc {

struct HttpResponse {
  int status = 0;
  std::string body{};
};

// Kafka Connect's REST API over HTTP (cpp-httplib). Transport failures become one-line
// HarnessErrors naming the URL; HTTP statuses are the caller's to judge.
class ConnectClient {
 public:
  explicit ConnectClient(const std::string& url);
  ~ConnectClient();
  ConnectClient(const ConnectClient&) = delete;
  ConnectClient& operator=(const ConnectClient&) = delete;

  HttpResponse get(const std::string& path);
  HttpResponse put_json(const std::string& path, const std::string& body);
  HttpResponse post(const std::string& path);
  HttpResponse del(const std::string& path);
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::unique_ptr<httplib::Client> client_;
};

// Connect's error bodies are {"error_code":…, "message":"…"}: the message, verbatim.
std::string connect_error_message(const HttpResponse& response);

}  // namespace cdc
