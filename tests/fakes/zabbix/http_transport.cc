#include "fakes/zabbix/frontend.h"

#include <utility>

#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

// The HTTP side of ui/api_jsonrpc.php: path, method, content type, then the JSON-RPC body.
namespace jobhost::testing::fake_zabbix {

TestResponse Frontend::handle(const TestRequest& request) {
  counters_.begin_request(request, Clock::now());
  RequestSettings settings = settings_.for_request();
  TestResponse response;
  try {
    response = respond(request, settings);
  } catch (...) {
    counters_.abandon_request();
    throw;
  }
  response.delay += settings.latency;
  counters_.answer_due(Clock::now() + response.delay);
  return response;
}

TestResponse Frontend::respond(const TestRequest& request, const RequestSettings& settings) {
  bool path_ok = request.path == kApiPath;
  bool options_request = request.method == "OPTIONS";
  // ui/api_jsonrpc.php: the part before ';', compared exactly (case and spaces matter).
  std::string content_type = request.header("content-type");
  content_type = content_type.substr(0, content_type.find(';'));
  bool type_ok = content_type == "application/json-rpc" || content_type == "application/json" ||
                 content_type == "application/jsonrequest";

  ojson body;
  bool parsed = false;
  std::vector<std::string> methods;  // what the body calls: a failure may target one method
  if (path_ok && !options_request && type_ok) {
    body = ojson::parse(request.body, nullptr, false);
    parsed = !body.is_discarded();
    if (parsed) {
      auto note = [&methods](const ojson& call) {
        const ojson* method = member(call, "method");
        if (method != nullptr && method->is_string())
          methods.push_back(lower(method->get<std::string>()));
      };
      if (body.is_array()) {
        for (const auto& call : body) note(call);
      } else {
        note(body);
      }
    }
  }

  if (auto kind = failures_.take(methods)) {
    return failure_response(*kind, parsed ? &body : nullptr, settings);
  }

  if (!path_ok) return html(404, nginx_page("404 Not Found"));
  if (options_request) return with_cors(html(200, ""));  // the CORS preflight
  if (!type_ok) return with_cors(html(412, ""));         // 'HTTP/1.0 412 Precondition Failed'
  TestResponse response = TestResponse::json("");
  if (!parsed) {
    response.body = error_entry(kParseError, kParseErrorData, "null");
  } else {
    response.body = process(body, CallContext{settings, request});
  }
  return with_cors(std::move(response));
}

}  // namespace jobhost::testing::fake_zabbix
