# jobhost_add_plugin(<name> SOURCES <src>... [OUTPUT_DIRECTORY <dir>])
#
# Builds a jobhost plugin: a MODULE library named <name>.so whose only visible symbol is the
# SDK entry point (hidden visibility everywhere else, so plugins cannot clash with each
# other or with the host), linked against the SDK headers and nothing of the host.
#
# Used in this tree (sdk/CMakeLists.txt) and installed: share/cmake/jobhost/, included by
# jobhostConfig.cmake after the jobhost::sdk target. In this tree JOBHOST_PLUGIN_OUTPUT_DIR
# collects the plugins in one directory and jobhost_warnings() adds the project's warnings;
# installed, neither is defined unless the caller does: the plugin lands in the caller's build
# directory, built with the caller's flags.
function(jobhost_add_plugin name)
  cmake_parse_arguments(P "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  add_library(${name} MODULE ${P_SOURCES})
  target_link_libraries(${name} PRIVATE jobhost::sdk)
  if(NOT P_OUTPUT_DIRECTORY AND DEFINED JOBHOST_PLUGIN_OUTPUT_DIR)
    set(P_OUTPUT_DIRECTORY ${JOBHOST_PLUGIN_OUTPUT_DIR})
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIRECTORY})
  endif()
  # A plugin must resolve every symbol at build time: the host loads it with RTLD_NOW.
  if(NOT APPLE)
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
  if(COMMAND jobhost_warnings)
    jobhost_warnings(${name})
  endif()
endfunction()
