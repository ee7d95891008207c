# build_info.cmake: the build as meta.json's "conditions" records it
# (core/output/meta_machine.c): build type, C flags, sanitizers, and
# whether the source tree had uncommitted changes at configure time.
# Only meta_machine.c gets these definitions, so a change rebuilds one file.
string(TOUPPER "${CMAKE_BUILD_TYPE}" parlab_bt_upper)
get_property(parlab_dir_opts DIRECTORY ${CMAKE_SOURCE_DIR}
             PROPERTY COMPILE_OPTIONS)
string(JOIN " " parlab_c_flags ${CMAKE_C_FLAGS}
       ${CMAKE_C_FLAGS_${parlab_bt_upper}} ${parlab_dir_opts})
string(STRIP "${parlab_c_flags}" parlab_c_flags)
# A C string literal's body: backslashes and quotes escaped.
string(REPLACE "\\" "\\\\" parlab_c_flags "${parlab_c_flags}")
string(REPLACE "\"" "\\\"" parlab_c_flags "${parlab_c_flags}")

execute_process(COMMAND git status --porcelain
                WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                RESULT_VARIABLE parlab_git_rc
                OUTPUT_VARIABLE parlab_git_status ERROR_QUIET)
if(NOT parlab_git_rc EQUAL 0)
  set(PARLAB_GIT_DIRTY -1)   # not a git tree, or no git: unknown
elseif(parlab_git_status)
  set(PARLAB_GIT_DIRTY 1)
else()
  set(PARLAB_GIT_DIRTY 0)
endif()

set_source_files_properties(core/output/meta_machine.c PROPERTIES
  COMPILE_DEFINITIONS
  "PARLAB_BUILD_TYPE=\"${CMAKE_BUILD_TYPE}\";PARLAB_C_FLAGS=\"${parlab_c_flags}\";PARLAB_SANITIZERS=\"${PARLAB_SANITIZE}\";PARLAB_GIT_DIRTY=${PARLAB_GIT_DIRTY}")
