#include "fakes/kubernetes/status_answers.h"

#include <algorithm>
#include <utility>

namespace jobhost::testing::fake_kubernetes {

namespace {

using ojson = nlohmann::ordered_json;

constexpr std::string_view kInjected = "fake-kubernetes: injected failure";

std::string in_quotes(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// "switches.wiring.githedgehog.com" ("pods" for the core group).
std::string qualified(const ResourceRequest& resource) {
  return resource.group.empty() ? resource.plural : resource.plural + "." + resource.group;
}

// Status details naming a resource: name (omitted when empty), group, kind (the plural, as
// the apiserver fills it in).
ojson resource_details(const ResourceRequest& resource) {
  ojson details = ojson::object();
  if (!resource.name.empty()) details["name"] = resource.name;
  details["group"] = resource.group;
  details["kind"] = resource.plural;
  return details;
}

}  // namespace

TestResponse status_error(int code, std::string_view reason, std::string message,
                          std::optional<ojson> details) {
  ojson status = {{"kind", "Status"},
                  {"apiVersion", "v1"},
                  {"metadata", ojson::object()},
                  {"status", "Failure"},
                  {"message", std::move(message)},
                  {"reason", reason}};
  if (details) status["details"] = std::move(*details);
  status["code"] = code;
  return TestResponse::json(status.dump(), code);
}

TestResponse unauthorized() {
  return status_error(401, "Unauthorized", "Unauthorized");
}

TestResponse not_found() {
  return status_error(404, "NotFound", "the server could not find the requested resource",
                      ojson::object());
}

TestResponse object_not_found(const ResourceRequest& resource) {
  return status_error(404, "NotFound",
                      qualified(resource) + " " + in_quotes(resource.name) + " not found",
                      resource_details(resource));
}

TestResponse method_not_allowed() {
  return status_error(405, "MethodNotAllowed",
                      "the server does not allow this method on the requested resource",
                      ojson::object());
}

TestResponse bad_request(std::string message) {
  return status_error(400, "BadRequest", std::move(message));
}

TestResponse expired_continue() {
  return status_error(410, "Expired",
                      "The provided continue parameter is too old to display a consistent list "
                      "result. You can start a new list without the continue parameter.");
}

TestResponse forbidden(std::string_view user, std::string_view verb,
                       const std::optional<ResourceRequest>& resource, std::string_view path) {
  std::string who = "User " + in_quotes(user) + " cannot " + std::string(verb);
  if (!resource) {
    return status_error(403, "Forbidden", "forbidden: " + who + " path " + in_quotes(path),
                        ojson::object());
  }
  std::string message = qualified(*resource);
  if (!resource->name.empty()) message += " " + in_quotes(resource->name);
  message += " is forbidden: " + who + " resource " + in_quotes(resource->plural) +
             " in API group " + in_quotes(resource->group);
  message += resource->ns.empty() ? " at the cluster scope"
                                  : " in the namespace " + in_quotes(resource->ns);
  return status_error(403, "Forbidden", std::move(message), resource_details(*resource));
}

TestResponse failure_answer(KubeFailure failure, const std::optional<ResourceRequest>& resource,
                            std::string_view path, const FakeKubernetesOptions& options) {
  TestResponse response;
  switch (failure) {
    case KubeFailure::internal_error:
      return status_error(500, "InternalError",
                          "Internal error occurred: " + std::string(kInjected),
                          ojson{{"causes", {{{"message", kInjected}}}}});
    case KubeFailure::service_unavailable:
      return status_error(503, "ServiceUnavailable",
                          "the server is currently unable to handle the request")
          .with_header("Retry-After", "1");
    case KubeFailure::too_many_requests: {
      // What the apiserver's priority and fairness filter answers; retryAfterSeconds is an
      // integer there, so a wait below a second rounds up to 1.
      const auto ms = options.retry_after.count();
      return status_error(429, "TooManyRequests", "Too many requests, please try again later.",
                          ojson{{"retryAfterSeconds", std::max<long long>(1, (ms + 999) / 1000)}})
          .with_header("Retry-After", retry_after_seconds(options.retry_after));
    }
    case KubeFailure::forbidden:
      return forbidden(kTokenUser, resource && resource->name.empty() ? "list" : "get", resource,
                       path);
    case KubeFailure::malformed_json: {
      // A list cut off mid-item, as a dropped proxy connection leaves it.
      std::string group_version =
          resource ? resource->group + "/" + resource->version : "wiring.githedgehog.com/v1beta1";
      return TestResponse::json(R"({"apiVersion":")" + group_version +
                                R"(","items":[{"apiVersion":")" + group_version + R"(","ki)");
    }
    case KubeFailure::close_connection:
      response.close_without_response = true;
      return response;
    case KubeFailure::hang:
      response.delay = options.hang_for;
      response.close_without_response = true;
      return response;
  }
  return status_error(500, "InternalError", "Internal error occurred: unknown injected failure");
}

}  // namespace jobhost::testing::fake_kubernetes
