#include "fakes/zabbix/http_answers.h"

#include <utility>

namespace jobhost::testing::fake_zabbix {

TestResponse with_cors(TestResponse response) {
  response.headers.emplace_back("Access-Control-Allow-Origin", "*");
  response.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type");
  response.headers.emplace_back("Access-Control-Allow-Methods", "POST");
  response.headers.emplace_back("Access-Control-Max-Age", "1000");
  return response;
}

TestResponse html(int status, std::string body) {
  TestResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/html; charset=UTF-8");
  response.body = std::move(body);
  return response;
}

std::string nginx_page(std::string_view status) {
  std::string page = "<html>\r\n<head><title>";
  page += status;
  page += "</title></head>\r\n<body>\r\n<center><h1>";
  page += status;
  page += "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
  return page;
}

TestResponse too_many_requests(std::chrono::milliseconds retry_after) {
  return html(429, nginx_page("429 Too Many Requests"))
      .with_header("Retry-After", retry_after_seconds(retry_after));
}

}  // namespace jobhost::testing::fake_zabbix
