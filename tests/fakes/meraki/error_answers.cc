#include "fakes/meraki/error_answers.h"

#include "fakes/meraki/json_text.h"

namespace jobhost::testing::fake_meraki {

TestResponse errors_answer(int status, std::string_view message) {
  std::string body = "{\"errors\":[";
  append_string(body, message);
  body += "]}";
  return TestResponse::json(std::move(body), status);
}

TestResponse missing_api_key() {
  return errors_answer(401, "Missing API key");
}

TestResponse invalid_api_key() {
  return errors_answer(401, "Invalid API key");
}

TestResponse organization_not_found() {
  return errors_answer(404, "Organization not found");
}

TestResponse not_found() {
  return errors_answer(404, "Not found");
}

TestResponse method_not_allowed() {
  return errors_answer(405, "Method not allowed");
}

TestResponse rate_limited(int retry_after_s) {
  return errors_answer(429, "API rate limit exceeded for organization")
      .with_header("Retry-After", std::to_string(retry_after_s));
}

TestResponse bad_per_page(std::size_t min, std::size_t max) {
  return errors_answer(
      400, "'perPage' must be between " + std::to_string(min) + " and " + std::to_string(max));
}

TestResponse failure_answer(MerakiFailure failure, int retry_after_s,
                            std::chrono::milliseconds hang_for) {
  TestResponse response;
  switch (failure) {
    case MerakiFailure::internal_error:
      return errors_answer(500, "Internal server error");
    case MerakiFailure::bad_gateway:
      return errors_answer(502, "Bad gateway");
    case MerakiFailure::service_unavailable:
      return errors_answer(503, "Service unavailable").with_header("Retry-After", "1");
    case MerakiFailure::too_many_requests:
      return rate_limited(retry_after_s);
    case MerakiFailure::forbidden:
      return errors_answer(403, "You don't have permissions to do that.");
    case MerakiFailure::not_found:
      return not_found();
    case MerakiFailure::malformed_json:
      // A page cut off mid-object, as a dropped proxy connection leaves it.
      return TestResponse::json(R"([{"serial":"Q2HP-)");
    case MerakiFailure::close_connection:
      response.close_without_response = true;
      return response;
    case MerakiFailure::hang:
      response.delay = hang_for;
      response.close_without_response = true;
      return response;
  }
  return errors_answer(500, "Internal server error");
}

}  // namespace jobhost::testing::fake_meraki
