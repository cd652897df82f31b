# Every dependency comes from a Debian 12 package (scripts/setup-debian.sh installs them).

find_package(Threads REQUIRED)

# Boost 1.81: Asio (timers, signals), Beast (HTTP), DLL (plugin loading) are header-only.
# Debian's 1.74 Asio does not compile under C++20 with g++ 12.
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS headers)
add_library(jobhost_boost INTERFACE)
target_link_libraries(jobhost_boost INTERFACE Boost::headers ${CMAKE_DL_LIBS})
target_compile_definitions(jobhost_boost INTERFACE BOOST_DLL_USE_STD_FS BOOST_ASIO_NO_DEPRECATED)

# SOCI 4.0.3 ships neither a CMake package nor a pkg-config file.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
foreach(_part core sqlite3 postgresql)
  string(TOUPPER ${_part} _upper)
  add_library(SOCI::${_part} UNKNOWN IMPORTED)
  set_target_properties(SOCI::${_part} PROPERTIES
    IMPORTED_LOCATION ${SOCI_${_upper}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${SOCI_INCLUDE_DIR})
endforeach()
set_property(TARGET SOCI::sqlite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES SOCI::core SQLite::SQLite3)
set_property(TARGET SOCI::postgresql APPEND PROPERTY INTERFACE_LINK_LIBRARIES SOCI::core PostgreSQL::PostgreSQL)
set_property(TARGET SOCI::postgresql APPEND PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${PostgreSQL_INCLUDE_DIRS})

find_package(yaml-cpp REQUIRED)          # target: yaml-cpp
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)            # uses the system fmt 9
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)             # 2.1.2
find_package(CURL REQUIRED)
# Time zones for cron schedules: libstdc++ 12 has no std::chrono tzdb. Howard Hinnant's date
# library (the one std::chrono's tzdb was standardized from), reading the OS's zoneinfo.
find_package(date REQUIRED)              # target: date::date-tz

if(JOBHOST_BUILD_TESTS)
  find_package(GTest REQUIRED)
  find_package(benchmark REQUIRED)
endif()
