# sdk.cmake: what a plugin author gets from an install: parlab.pc for
# pkg-config, the CMake package (find_package(parlab)), the skeletons,
# the plugin author's guide and the man pages. Every path in the package
# files is relative to the file itself, so the prefix may be given at
# install time (cmake --install build --prefix P) and copied elsewhere.
include(CMakePackageConfigHelpers)

set(PARLAB_ABI "${PARLAB_ABI_MAJOR}.${PARLAB_ABI_MINOR}")
set(PARLAB_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
set(PARLAB_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/parlab)
# From each file's folder back to the prefix (e.g. "../..").
file(RELATIVE_PATH PARLAB_PC_TO_PREFIX
     /prefix/${PARLAB_PC_DIR} /prefix)
file(RELATIVE_PATH PARLAB_CMAKE_TO_PREFIX
     /prefix/${PARLAB_CMAKE_DIR} /prefix)
string(REGEX REPLACE "/$" "" PARLAB_PC_TO_PREFIX ${PARLAB_PC_TO_PREFIX})
string(REGEX REPLACE "/$" "" PARLAB_CMAKE_TO_PREFIX ${PARLAB_CMAKE_TO_PREFIX})

configure_file(cmake/parlab.pc.in ${CMAKE_BINARY_DIR}/sdk/parlab.pc @ONLY)
configure_file(cmake/parlabConfig.cmake.in
               ${CMAKE_BINARY_DIR}/sdk/parlabConfig.cmake @ONLY)
write_basic_package_version_file(
  ${CMAKE_BINARY_DIR}/sdk/parlabConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)

install(FILES ${CMAKE_BINARY_DIR}/sdk/parlab.pc DESTINATION ${PARLAB_PC_DIR})
install(FILES ${CMAKE_BINARY_DIR}/sdk/parlabConfig.cmake
              ${CMAKE_BINARY_DIR}/sdk/parlabConfigVersion.cmake
        DESTINATION ${PARLAB_CMAKE_DIR})
install(FILES plugins/skeleton_strategy.c plugins/skeleton_workload.c
        DESTINATION ${CMAKE_INSTALL_DATADIR}/parlab/skeletons)
install(FILES docs/plugins.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES man/parlab.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES man/parlab-experiment.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
