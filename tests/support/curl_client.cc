#include "support/curl_client.h"

#include <algorithm>
#include <cctype>

namespace jobhost::testing {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// libcurl hands over one header line at a time, the status line of every answer included: a
// new status line (after a redirect or a "100 Continue") starts the headers afresh, so only
// the last answer's headers remain.
std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& headers = *static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
    return size * count;
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;  // the empty line at the end
  std::string_view value = line.substr(colon + 1);
  std::size_t first = value.find_first_not_of(" \t");
  value = first == std::string_view::npos ? std::string_view() : value.substr(first);
  std::size_t last = value.find_last_not_of(" \t\r\n");
  value = last == std::string_view::npos ? std::string_view() : value.substr(0, last + 1);
  headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
  return size * count;
}

}  // namespace

std::string CurlResponse::header(std::string_view name) const {
  std::string wanted = lower(name);
  for (const auto& [key, value] : headers) {
    if (key == wanted) return value;
  }
  return "";
}

bool CurlResponse::has_header(std::string_view name) const {
  std::string wanted = lower(name);
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& header) { return header.first == wanted; });
}

std::vector<std::string> CurlResponse::header_values(std::string_view name) const {
  std::string wanted = lower(name);
  std::vector<std::string> values;
  for (const auto& [key, value] : headers) {
    if (key == wanted) values.push_back(value);
  }
  return values;
}

nlohmann::json CurlResponse::parsed() const {
  return nlohmann::json::parse(body);
}

std::string CurlResponse::error() const {
  return curl_easy_strerror(code);
}

CurlResponse curl_perform(const CurlRequest& request) {
  static const bool initialized = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)initialized;

  CurlResponse response;
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  for (const auto& header : request.headers) headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    if (!request.body.empty() || request.method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    }
    if (request.method != "POST" && request.method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    } else if (request.method == "GET" && !request.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");
    }
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (request.follow_redirects) {
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    // A redirect to another port counts as another host to curl, which would drop the
    // Authorization header a test set.
    curl_easy_setopt(curl, CURLOPT_UNRESTRICTED_AUTH, 1L);
  }
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());

  auto start = std::chrono::steady_clock::now();
  response.code = curl_easy_perform(curl);
  response.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return response;
}

}  // namespace jobhost::testing
