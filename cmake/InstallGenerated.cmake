# Runs at INSTALL time (included by the install(CODE) of cmake/Install.cmake, in
# cmake_install.cmake, also when CPack stages the .deb). Writes the installed files that name
# absolute paths of the installation, for the prefix of this install:
#   runtime: <sysconfdir>/jobhost/jobhost.yaml (from packaging/deb/jobhost.yaml.in), the systemd
#            units, the cron line and its wrapper (lib/jobhost/jobhost-tick, share/jobhost/cron/)
#   sdk:     share/pkgconfig/jobhost.pc (from sdk/cmake/jobhost.pc.in)
#
# Why not configure_file() at configure time: the build is configured once (prefix /usr/local by
# default) but installed for several prefixes: `cmake --install build --prefix DIR`, and CPack,
# which installs with CMAKE_INSTALL_PREFIX=/usr into a staging DESTDIR. Here
# CMAKE_INSTALL_PREFIX is the prefix of the install under way and $ENV{DESTDIR} is honoured by
# file(INSTALL), so the paths written always match where the files end up.
#
# Input (set by the install(CODE)): JOBHOST_GENERATE (runtime|sdk), JOBHOST_SOURCE_DIR,
# JOBHOST_STAGING_DIR, JOBHOST_VERSION, JOBHOST_DIR_<X> (directories as configured, relative to
# the prefix or absolute), JOBHOST_UNITS (unit files to install, empty for none).

# The absolute form of an install directory for the prefix of this install, with GNUInstallDirs'
# special cases for sysconfdir: prefix / or /usr -> /etc, prefix /opt/X -> /etc/opt/X.
function(jobhost_absolute_dir out dir)
  set(prefix "${CMAKE_INSTALL_PREFIX}")
  if(IS_ABSOLUTE "${dir}")
    set(abs "${dir}")
  elseif(dir STREQUAL "etc" AND (prefix STREQUAL "/" OR prefix STREQUAL "/usr" OR prefix STREQUAL "/usr/"))
    set(abs "/etc")
  elseif(dir STREQUAL "etc" AND prefix MATCHES "^/opt/")
    set(abs "/etc/${prefix}")
  else()
    set(abs "${prefix}/${dir}")
  endif()
  cmake_path(SET abs NORMALIZE "${abs}")
  string(REGEX REPLACE "(.)/$" "\\1" abs "${abs}")
  set(${out} "${abs}" PARENT_SCOPE)
endfunction()

jobhost_absolute_dir(JOBHOST_PREFIX ".")
jobhost_absolute_dir(JOBHOST_BINDIR "${JOBHOST_DIR_BIN}")
jobhost_absolute_dir(JOBHOST_SYSCONFDIR "${JOBHOST_DIR_SYSCONF}")
jobhost_absolute_dir(JOBHOST_INCLUDEDIR "${JOBHOST_DIR_INCLUDE}")
jobhost_absolute_dir(JOBHOST_PLUGINDIR "${JOBHOST_DIR_PLUGIN}")
jobhost_absolute_dir(JOBHOST_HELPERDIR "${JOBHOST_DIR_HELPER}")

# Each install gets its own staging directory: CPack and a `cmake --install` may run at once.
string(RANDOM LENGTH 10 _jobhost_tag)
set(_jobhost_stage "${JOBHOST_STAGING_DIR}/${JOBHOST_GENERATE}-${_jobhost_tag}")
file(MAKE_DIRECTORY "${_jobhost_stage}")

# The operator files in packaging/ are written for the Debian layout (/usr/bin/jobhost,
# /etc/jobhost, /usr/lib/jobhost/jobhost-tick); with another prefix they must name that one.
# For prefix /usr this changes nothing, so the .deb ships them exactly as they are in packaging/.
function(jobhost_relocated_copy source destination)
  file(READ "${source}" text)
  string(REPLACE "/usr/bin/jobhost" "${JOBHOST_BINDIR}/jobhost" text "${text}")
  string(REPLACE "/usr/lib/jobhost/" "${JOBHOST_HELPERDIR}/" text "${text}")
  string(REPLACE "/etc/jobhost/" "${JOBHOST_SYSCONFDIR}/jobhost/" text "${text}")
  file(WRITE "${destination}" "${text}")
endfunction()

# file(INSTALL) records what it installs in CMAKE_INSTALL_MANIFEST_FILES of the calling scope,
# so it is called here at file scope (this file is include()d), never inside a function.
if(JOBHOST_GENERATE STREQUAL "runtime")
  # The default configuration. An existing one (a re-install over an edited file) is kept and the
  # new default written beside it as jobhost.yaml.new; the .deb leaves this to dpkg (conffile).
  configure_file("${JOBHOST_SOURCE_DIR}/packaging/deb/jobhost.yaml.in"
    "${_jobhost_stage}/config/jobhost.yaml" @ONLY)
  set(_jobhost_conf_dir "${JOBHOST_SYSCONFDIR}/jobhost")
  set(_jobhost_conf "$ENV{DESTDIR}${_jobhost_conf_dir}/jobhost.yaml")
  if(EXISTS "${_jobhost_conf}" AND NOT IS_DIRECTORY "${_jobhost_conf}")
    file(READ "${_jobhost_conf}" _jobhost_old)
    file(READ "${_jobhost_stage}/config/jobhost.yaml" _jobhost_new)
    if(NOT _jobhost_old STREQUAL _jobhost_new)
      message(STATUS "Keeping ${_jobhost_conf}: it differs from the default, "
                     "which is installed as jobhost.yaml.new beside it")
      file(RENAME "${_jobhost_stage}/config/jobhost.yaml" "${_jobhost_stage}/config/jobhost.yaml.new")
    endif()
  endif()
  file(GLOB _jobhost_conf_files "${_jobhost_stage}/config/*")
  file(INSTALL DESTINATION "${_jobhost_conf_dir}" TYPE FILE FILES ${_jobhost_conf_files}
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

  foreach(_jobhost_unit IN LISTS JOBHOST_UNITS)
    cmake_path(GET _jobhost_unit FILENAME _jobhost_name)
    jobhost_relocated_copy("${_jobhost_unit}" "${_jobhost_stage}/systemd/${_jobhost_name}")
  endforeach()
  if(JOBHOST_UNITS)
    jobhost_absolute_dir(_jobhost_systemd_dir "${JOBHOST_DIR_SYSTEMD}")
    file(GLOB _jobhost_unit_files "${_jobhost_stage}/systemd/*")
    file(INSTALL DESTINATION "${_jobhost_systemd_dir}" TYPE FILE FILES ${_jobhost_unit_files}
      PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()

  foreach(_jobhost_name jobhost-tick jobhost.cron)
    jobhost_relocated_copy("${JOBHOST_SOURCE_DIR}/packaging/cron/${_jobhost_name}"
      "${_jobhost_stage}/cron/${_jobhost_name}")
  endforeach()
  # The wrapper where the cron line runs it, and both as documentation next to the examples.
  file(INSTALL DESTINATION "${JOBHOST_HELPERDIR}" TYPE PROGRAM FILES "${_jobhost_stage}/cron/jobhost-tick")
  jobhost_absolute_dir(_jobhost_cron_doc "${JOBHOST_DIR_DATA}/cron")
  file(INSTALL DESTINATION "${_jobhost_cron_doc}" TYPE FILE
    FILES "${_jobhost_stage}/cron/jobhost.cron" "${_jobhost_stage}/cron/jobhost-tick"
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
elseif(JOBHOST_GENERATE STREQUAL "sdk")
  # In pkg-config's usual form: ${prefix}/include, unless configured outside the prefix.
  foreach(_jobhost_var INCLUDE PLUGIN)
    if(IS_ABSOLUTE "${JOBHOST_DIR_${_jobhost_var}}")
      set(JOBHOST_PC_${_jobhost_var}DIR "${JOBHOST_${_jobhost_var}DIR}")
    else()
      set(JOBHOST_PC_${_jobhost_var}DIR "\${prefix}/${JOBHOST_DIR_${_jobhost_var}}")
    endif()
  endforeach()
  configure_file("${JOBHOST_SOURCE_DIR}/sdk/cmake/jobhost.pc.in" "${_jobhost_stage}/jobhost.pc" @ONLY)
  jobhost_absolute_dir(_jobhost_pc_dir "${JOBHOST_DIR_PKGCONFIG}")
  file(INSTALL DESTINATION "${_jobhost_pc_dir}" TYPE FILE FILES "${_jobhost_stage}/jobhost.pc")
else()
  message(FATAL_ERROR "InstallGenerated.cmake: JOBHOST_GENERATE is '${JOBHOST_GENERATE}'")
endif()
file(REMOVE_RECURSE "${_jobhost_stage}")
