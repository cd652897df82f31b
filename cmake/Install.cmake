# What `cmake --install` (and the .deb, see Packaging.cmake) puts under the prefix:
#
#   bin/jobhost                          the host (framework/cli)
#   lib/jobhost/plugins/*.so             the three plugins (plugins/*), JOBHOST_INSTALL_PLUGINDIR
#   lib/jobhost/jobhost-tick             the cron wrapper, where packaging/cron/jobhost.cron runs it
#   include/jobhost/...                  the SDK headers                                  (sdk/)
#   share/cmake/jobhost/                 find_package(jobhost): jobhost::sdk, jobhost_add_plugin
#   share/pkgconfig/jobhost.pc           pkg-config --cflags jobhost
#   share/jobhost/template/              a plugin project to copy                (sdk/template/)
#   share/jobhost/examples/              configs/*.yaml
#   share/jobhost/cron/                  jobhost.cron (for /etc/cron.d) and its wrapper
#   share/doc/jobhost/                   README.md, docs/*.md
#   lib/systemd/system/, lib/sysusers.d/ the units and the `jobhost` user (JOBHOST_INSTALL_SYSTEMD_UNITS)
#   <sysconfdir>/jobhost/jobhost.yaml    the default configuration (/etc/jobhost for prefix /usr)
#
# Two components: `runtime` (the host, its plugins, operator files, docs) and `sdk` (headers,
# CMake and pkg-config packages, template). Without --component, both.
include(GNUInstallDirs)

# Not ${CMAKE_INSTALL_LIBDIR}/jobhost/plugins: with prefix /usr, Debian's LIBDIR is
# lib/x86_64-linux-gnu, while configs/cluster.yaml and the operator docs name
# /usr/lib/jobhost/plugins. Plugins are loaded by path, never linked against, so the multiarch
# directory buys nothing. Relative: under the prefix; absolute: used as it is.
set(JOBHOST_INSTALL_PLUGINDIR "lib/jobhost/plugins" CACHE STRING
  "Where the plugins are installed (relative: to the install prefix)")
option(JOBHOST_INSTALL_SYSTEMD_UNITS "Install the systemd units and the sysusers.d entry" ON)

# Fixed, not options: the cron line in packaging/cron/jobhost.cron names <prefix>/lib/jobhost.
set(JOBHOST_INSTALL_HELPERDIR "lib/jobhost")
# The SDK is header-only, so its CMake package and .pc file are the same for every architecture:
# share/ rather than the multiarch lib/<triplet>/ (find_package and pkg-config search both).
set(JOBHOST_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/jobhost")
set(JOBHOST_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig")
set(JOBHOST_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/jobhost")
set(JOBHOST_INSTALL_SYSTEMDDIR "lib/systemd/system")
set(JOBHOST_INSTALL_SYSUSERSDIR "lib/sysusers.d")

# Documentation and examples. A glob, so that a docs/*.md added later is installed too
# (CONFIGURE_DEPENDS: the build re-runs CMake when the list changes).
file(GLOB _jobhost_docs CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" ${_jobhost_docs}
  DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT runtime)
file(GLOB _jobhost_examples CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/configs/*.yaml")
# demo.yaml is a template for demo/run-demo.sh (its ${DEMO_*} values come from the driver).
list(FILTER _jobhost_examples EXCLUDE REGEX "/demo\\.yaml$")
install(FILES ${_jobhost_examples} DESTINATION "${JOBHOST_INSTALL_DATADIR}/examples" COMPONENT runtime)
if(JOBHOST_INSTALL_SYSTEMD_UNITS)
  install(FILES "${PROJECT_SOURCE_DIR}/packaging/deb/sysusers.conf" RENAME jobhost.conf
    DESTINATION "${JOBHOST_INSTALL_SYSUSERSDIR}" COMPONENT runtime)
endif()

# Files that name absolute paths of the installation (the default config, the units, the cron
# files, jobhost.pc) are written at install time, for the prefix of THAT install: CPack builds
# the .deb with prefix /usr whatever this build was configured with, and `cmake --install
# --prefix DIR` relocates an install too. See cmake/InstallGenerated.cmake.
file(GLOB _jobhost_units CONFIGURE_DEPENDS
  "${PROJECT_SOURCE_DIR}/packaging/systemd/*.service" "${PROJECT_SOURCE_DIR}/packaging/systemd/*.timer")
if(NOT JOBHOST_INSTALL_SYSTEMD_UNITS)
  set(_jobhost_units "")
endif()
foreach(_part runtime sdk)
  install(CODE "
    set(JOBHOST_GENERATE ${_part})
    set(JOBHOST_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
    set(JOBHOST_STAGING_DIR \"${PROJECT_BINARY_DIR}/install-generated\")
    set(JOBHOST_VERSION \"${PROJECT_VERSION}\")
    set(JOBHOST_DIR_BIN \"${CMAKE_INSTALL_BINDIR}\")
    set(JOBHOST_DIR_SYSCONF \"${CMAKE_INSTALL_SYSCONFDIR}\")
    set(JOBHOST_DIR_INCLUDE \"${CMAKE_INSTALL_INCLUDEDIR}\")
    set(JOBHOST_DIR_PLUGIN \"${JOBHOST_INSTALL_PLUGINDIR}\")
    set(JOBHOST_DIR_HELPER \"${JOBHOST_INSTALL_HELPERDIR}\")
    set(JOBHOST_DIR_DATA \"${JOBHOST_INSTALL_DATADIR}\")
    set(JOBHOST_DIR_PKGCONFIG \"${JOBHOST_INSTALL_PKGCONFIGDIR}\")
    set(JOBHOST_DIR_SYSTEMD \"${JOBHOST_INSTALL_SYSTEMDDIR}\")
    set(JOBHOST_UNITS \"${_jobhost_units}\")
    include(\"${PROJECT_SOURCE_DIR}/cmake/InstallGenerated.cmake\")
  " COMPONENT ${_part})
endforeach()
