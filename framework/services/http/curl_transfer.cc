#include "services/http/curl_transfer.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "services/http/curl_errors.h"

namespace jobhost::http::detail {

namespace {

// Only the web: a plugin must not be able to read file:// or talk to other protocols through
// the host, not even by way of a redirect.
constexpr const char* kProtocols = "http,https";

// Reserving for a huge announced body would let a hostile server make us allocate at will.
constexpr curl_off_t kMaxReserve = 64 * 1024 * 1024;

template <typename Value>
void set(CURL* easy, CURLoption option, Value value) {
  CURLcode code = curl_easy_setopt(easy, option, value);
  if (code != CURLE_OK) {
    throw std::runtime_error(std::string("could not set up the request: ") +
                             curl_easy_strerror(code));
  }
}

long millis(std::chrono::milliseconds value) {
  return static_cast<long>(value.count());
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string trimmed(const char* text) {
  std::string_view view(text);
  while (!view.empty() && (view.back() == '\n' || view.back() == ' ')) view.remove_suffix(1);
  return std::string(view);
}

}  // namespace

Transfer::Transfer(const Request& request, CURLSH* share)
    : request_(request), easy_(curl_easy_init()) {
  if (!easy_) throw std::runtime_error("could not set up the request: curl_easy_init failed");
  CURL* easy = easy_.get();
  set(easy, CURLOPT_ERRORBUFFER, error_);
  // Worker threads must never get SIGALRM from curl's resolver timeouts.
  set(easy, CURLOPT_NOSIGNAL, 1L);
  set(easy, CURLOPT_SHARE, share);
  set(easy, CURLOPT_URL, request.url.c_str());
  set(easy, CURLOPT_PROTOCOLS_STR, kProtocols);
  set(easy, CURLOPT_REDIR_PROTOCOLS_STR, kProtocols);
  set(easy, CURLOPT_USERAGENT, "jobhost/" JOBHOST_VERSION);
  set(easy, CURLOPT_CONNECTTIMEOUT_MS, millis(request.connect_timeout));
  set(easy, CURLOPT_TIMEOUT_MS, millis(request.total_timeout));
  set(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  if (request.max_redirects > 0) {
    set(easy, CURLOPT_FOLLOWLOCATION, 1L);
    set(easy, CURLOPT_MAXREDIRS, static_cast<long>(request.max_redirects));
  } else {
    set(easy, CURLOPT_FOLLOWLOCATION, 0L);
  }
  // A proxy's "200 Connection established" is not the server's response.
  set(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  set(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  set(easy, CURLOPT_WRITEDATA, this);
  set(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  set(easy, CURLOPT_HEADERDATA, this);
  set_method_and_body();
  set_headers();
  set_tls();
}

void Transfer::set_method_and_body() {
  CURL* easy = easy_.get();
  const std::string& method = request_.method;
  bool sends_body =
      !request_.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (method == "HEAD") {
    set(easy, CURLOPT_NOBODY, 1L);
  } else if (method == "GET" && !sends_body) {
    set(easy, CURLOPT_HTTPGET, 1L);
  } else if (method != "POST") {
    // curl keeps a custom method across redirects, unlike POST, which it turns into GET
    // after a 301/302/303 as browsers do.
    set(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (sends_body) {
    // Sent straight from the request, without a copy: bodies can be large.
    set(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
    set(easy, CURLOPT_POSTFIELDS, request_.body.data());
  }
}

void Transfer::set_headers() {
  bool has_expect = false;
  auto append = [this](const std::string& line) {
    curl_slist* longer = curl_slist_append(header_list_.get(), line.c_str());
    if (longer == nullptr) throw std::runtime_error("could not set up the request: out of memory");
    (void)header_list_.release();  // curl_slist_append returned the same list, now longer
    header_list_.reset(longer);
  };
  for (const Header& header : request_.headers) {
    if (iequals(header.name, "Expect")) has_expect = true;
    // "Name:" would make curl drop the header; "Name;" is how curl sends it with no value.
    append(header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
  }
  // curl sends "Expect: 100-continue" before large bodies and then waits up to a second for
  // an answer many servers never give; plugins get the body sent straight away instead.
  if (!has_expect) append("Expect:");
  set(easy_.get(), CURLOPT_HTTPHEADER, header_list_.get());
}

void Transfer::set_tls() {
  CURL* easy = easy_.get();
  set(easy, CURLOPT_SSL_VERIFYPEER, request_.verify_tls ? 1L : 0L);
  set(easy, CURLOPT_SSL_VERIFYHOST, request_.verify_tls ? 2L : 0L);
  if (!request_.ca_file.empty()) set(easy, CURLOPT_CAINFO, request_.ca_file.c_str());
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  std::size_t bytes = size * count;
  if (transfer->body_.empty()) {
    curl_off_t announced = -1;
    curl_easy_getinfo(transfer->easy(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
    if (announced > 0) {
      transfer->body_.reserve(static_cast<std::size_t>(std::min(announced, kMaxReserve)));
    }
  }
  transfer->body_.append(data, bytes);
  return bytes;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  std::size_t bytes = size * count;
  transfer->header_lines_.add_line(std::string_view(data, bytes));
  // A redirect's body may have been delivered before the next response's headers start.
  if (std::string_view(data, bytes).starts_with("HTTP/")) transfer->body_.clear();
  return bytes;
}

Outcome Transfer::finish(CURLcode code) {
  CURL* easy = easy_.get();
  Outcome outcome;
  char* effective_url = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective_url) == CURLE_OK &&
      effective_url != nullptr) {
    outcome.response.effective_url = effective_url;
  }
  curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME, &outcome.response.seconds);
  if (code != CURLE_OK) {
    outcome.ok = false;
    outcome.kind = classify(code);
    outcome.error = error_[0] != '\0' ? trimmed(error_) : curl_easy_strerror(code);
    return outcome;
  }
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  outcome.ok = true;
  outcome.kind = ErrorKind::none;
  outcome.response.status = static_cast<int>(status);
  outcome.response.headers = header_lines_.take();
  outcome.response.body = std::move(body_);
  return outcome;
}

std::uint64_t Transfer::bytes_sent() const {
  curl_off_t bytes = 0;
  curl_easy_getinfo(easy_.get(), CURLINFO_SIZE_UPLOAD_T, &bytes);
  return bytes > 0 ? static_cast<std::uint64_t>(bytes) : 0;
}

std::uint64_t Transfer::bytes_received() const {
  curl_off_t bytes = 0;
  curl_easy_getinfo(easy_.get(), CURLINFO_SIZE_DOWNLOAD_T, &bytes);
  return bytes > 0 ? static_cast<std::uint64_t>(bytes) : 0;
}

}  // namespace jobhost::http::detail
