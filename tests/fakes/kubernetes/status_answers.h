#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fakes/kubernetes/fake_kubernetes.h"
#include "support/http_test_server.h"

// The apiserver's error answers: metav1.Status objects with the reasons, messages and details
// k8s.io/apimachinery/pkg/api/errors gives them, fields in Go's order.
namespace jobhost::testing::fake_kubernetes {

// What a request addressed, as the authorizer sees it.
struct ResourceRequest {
  std::string group;
  std::string version;
  std::string plural;
  std::string ns;    // empty: cluster scope
  std::string name;  // empty: the collection
};

// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":...,
// "reason":...,["details":...,]"code":...}
TestResponse status_error(int code, std::string_view reason, std::string message,
                          std::optional<nlohmann::ordered_json> details = std::nullopt);

TestResponse unauthorized();  // 401 "Unauthorized"
TestResponse not_found();     // 404 "the server could not find ..."
TestResponse object_not_found(const ResourceRequest& resource);  // 404 `x.g "n" not found`
TestResponse method_not_allowed();                               // 405
TestResponse bad_request(std::string message);                   // 400
TestResponse expired_continue();                                 // 410 reason Expired
// 403 as RBAC words it: for `user`, `verb` ("list", "get") on the resource, or on `path` when
// the request addressed no resource.
TestResponse forbidden(std::string_view user, std::string_view verb,
                       const std::optional<ResourceRequest>& resource, std::string_view path);

// The user names the fake's authenticator gives.
inline constexpr std::string_view kAnonymousUser = "system:anonymous";
inline constexpr std::string_view kTokenUser = "system:serviceaccount:default:hedgehog-sync";

// What a request failed by injection gets instead of its answer; `options`: how long
// KubeFailure::hang holds it, what Retry-After KubeFailure::too_many_requests sends.
TestResponse failure_answer(KubeFailure failure, const std::optional<ResourceRequest>& resource,
                            std::string_view path, const FakeKubernetesOptions& options);

}  // namespace jobhost::testing::fake_kubernetes
