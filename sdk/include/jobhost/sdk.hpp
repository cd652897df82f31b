// jobhost plugin SDK for C++: include this one header.
//
// A header-only layer over the C ABI in plugin_api.h: classes, RAII and exceptions for the
// plugin author, compiled down to plain C at the boundary. See sdk/examples/hello.
#pragma once

#include "jobhost/cpp/context.hpp"
#include "jobhost/cpp/error.hpp"
#include "jobhost/cpp/json.hpp"
#include "jobhost/cpp/plugin.hpp"
#include "jobhost/cpp/rows.hpp"
#include "jobhost/cpp/run.hpp"
#include "jobhost/cpp/time.hpp"
#include "jobhost/cpp/value.hpp"
#include "jobhost/plugin_api.h"
