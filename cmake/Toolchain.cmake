# Compiler launcher, linker and warning flags shared by every target.

find_program(JOBHOST_CCACHE ccache)
if(JOBHOST_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${JOBHOST_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${JOBHOST_CCACHE})
endif()

# mold links the test binaries several times faster than ld.bfd on two cores.
find_program(JOBHOST_MOLD mold)
if(JOBHOST_MOLD)
  add_link_options(-fuse-ld=mold)
endif()

set(JOBHOST_WARNINGS -Wall -Wextra -Wshadow=local -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(JOBHOST_WERROR)
  list(APPEND JOBHOST_WARNINGS -Werror)
endif()

# Apply the project's warnings to one of our own targets (never to third-party code).
function(jobhost_warnings target)
  get_target_property(_type ${target} TYPE)
  if(_type STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:${JOBHOST_WARNINGS}>
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra $<$<BOOL:${JOBHOST_WERROR}>:-Werror>>)
endfunction()
