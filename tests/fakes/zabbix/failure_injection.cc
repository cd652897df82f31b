#include "fakes/zabbix/failure_injection.h"

#include <utility>

#include "fakes/zabbix/http_answers.h"
#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

namespace jobhost::testing::fake_zabbix {

void InjectedFailures::add(FailureRule rule) {
  if (rule.remaining == 0) return;
  rule.method = lower(rule.method);
  std::lock_guard lock(mutex_);
  rules_.push_back(std::move(rule));
}

void InjectedFailures::clear() {
  std::lock_guard lock(mutex_);
  rules_.clear();
}

std::optional<FailureKind> InjectedFailures::take(const std::vector<std::string>& methods) {
  std::lock_guard lock(mutex_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (!it->method.empty() && !contains(methods, it->method)) continue;
    if (it->skip > 0) {
      --it->skip;
      continue;
    }
    FailureKind kind = it->kind;
    if (--it->remaining == 0) rules_.erase(it);
    return kind;
  }
  return std::nullopt;
}

TestResponse failure_response(FailureKind kind, const ojson* body,
                              const RequestSettings& settings) {
  TestResponse response;
  switch (kind) {
    case FailureKind::http_500:
      return html(500, nginx_page("500 Internal Server Error"));
    case FailureKind::malformed_json:
      return with_cors(TestResponse::json(R"({"jsonrpc":"2.0","result":[{"hostid":"10)"));
    case FailureKind::close_connection:
      response.close_without_response = true;
      return response;
    case FailureKind::hang:
      response.delay = settings.hang_for;
      response.close_without_response = true;
      return response;
    case FailureKind::too_many_requests:
      return too_many_requests(settings.retry_after);
    case FailureKind::rpc_error:
      break;
  }
  // rpc_error: every call with an id gets the error; an unreadable body one with id null.
  auto entry = [](const ojson& call) -> std::optional<std::string> {
    if (!call.is_object()) return error_entry(kApplicationError, kInjectedErrorData, "null");
    const ojson* id = member(call, "id");
    if (id == nullptr) return std::nullopt;
    return error_entry(kApplicationError, kInjectedErrorData, dump(*id));
  };
  std::string text;
  if (body == nullptr || !(body->is_array() || body->is_object()) || body->empty()) {
    text = error_entry(kApplicationError, kInjectedErrorData, "null");
  } else if (body->is_array()) {
    std::vector<std::string> entries;
    for (const auto& call : *body) {
      if (auto e = entry(call)) entries.push_back(std::move(*e));
    }
    if (!entries.empty()) {
      // text is empty here; appending rather than assigning "[" keeps GCC 12 from a false
      // -Wrestrict on std::string::operator=(const char*).
      text += '[';
      for (std::size_t i = 0; i < entries.size(); ++i) text += (i ? "," : "") + entries[i];
      text += ']';
    }
  } else {
    text = entry(*body).value_or("");
  }
  return with_cors(TestResponse::json(std::move(text)));
}

}  // namespace jobhost::testing::fake_zabbix
