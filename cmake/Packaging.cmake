# The Debian package: `cpack -G DEB` in the build directory (or `ninja package`) writes
# jobhost_<version>_<arch>.deb with everything `cmake --install` installs (both components),
# for prefix /usr. Maintainer scripts and conffiles: packaging/deb/.
set(JOBHOST_PACKAGE_MAINTAINER "jobhost developers <jobhost@example.org>" CACHE STRING
  "Maintainer field of the .deb")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME jobhost)
set(CPACK_PACKAGE_VENDOR jobhost)
set(CPACK_PACKAGE_CONTACT "${JOBHOST_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "jobhost runs infrastructure sync jobs shipped as drop-in plugins (.so files built against a\n"
  "stable C ABI): one database transaction per run, an event log with before/after data,\n"
  "singletons that hold across processes, schedules, timeouts, retries, an HTTP API, a\n"
  "dashboard and Prometheus metrics, on SQLite or PostgreSQL.\n"
  "This package holds the host (/usr/bin/jobhost), the zabbix-host-sync,\n"
  "hedgehog-fabric-sync and meraki-sync plugins, systemd units, a cron line, and the plugin\n"
  "SDK (headers, CMake and pkg-config packages, a plugin template).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")

# The package installs for /usr whatever CMAKE_INSTALL_PREFIX this build has (/usr/local by
# default). CPack stages the install with DESTDIR (CPACK_SET_DESTDIR; the DEB generator would
# also do so on its own) and CMAKE_INSTALL_PREFIX=CPACK_INSTALL_PREFIX, which defaults to this
# build's prefix: hence /usr for both. So the files written at install time (the default
# config, the units, jobhost.pc: cmake/InstallGenerated.cmake) name /usr and /etc, and the
# absolute destination /etc/jobhost lands in the package, not on the build machine.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_SET_DESTDIR ON)
# Stripped binaries: a RelWithDebInfo host with its debug info is several times larger and slow
# to package. Debug builds are for the build tree.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_NAME jobhost)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # jobhost_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/jobhost/jobhost")
# Library dependencies from dpkg-shlibdeps (dpkg-dev); adduser for the postinst on a system
# without systemd-sysusers.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${PROJECT_SOURCE_DIR}/packaging/deb/conffiles"
  "${PROJECT_SOURCE_DIR}/packaging/deb/postinst"
  "${PROJECT_SOURCE_DIR}/packaging/deb/prerm"
  "${PROJECT_SOURCE_DIR}/packaging/deb/postrm")
# 0644 for conffiles, 0755 for the scripts, whatever the checkout's modes are.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# `package_source` (a tarball of the checkout) without build trees and VCS data.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build[^/]*/" "/node_modules/" "\\.db$")

include(CPack)
