// The HTTP services of the host-service table, over the host's libcurl client.
#pragma once

#include <cstddef>
#include <cstdint>

#include "jobhost/plugin_api.h"
#include "services/context.h"

namespace jobhost::services {

jh_status http_request(Context& ctx, const jh_http_request_v1* request, size_t size,
                       jh_http_response_v1** response);
jh_status http_request_many(Context& ctx, const jh_http_request_v1* requests, size_t size,
                            uint32_t count, uint32_t max_in_flight, jh_http_response_v1** responses,
                            jh_status* statuses);
void http_response_release(jh_http_response_v1* response);

}  // namespace jobhost::services
