# factgraph_version: an interface library whose header
# "factgraph_version.h" holds the version of project(VERSION) and, when built
# from a git checkout, `git describe` of it at configure time.
find_package(Git QUIET)
set(FACTGRAPH_GIT_DESCRIBE "")
if(GIT_FOUND AND EXISTS ${PROJECT_SOURCE_DIR}/.git)
  execute_process(
    COMMAND ${GIT_EXECUTABLE} describe --always --dirty --tags
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    OUTPUT_VARIABLE FACTGRAPH_GIT_DESCRIBE
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(FACTGRAPH_GIT_DESCRIBE)
  set(FACTGRAPH_VERSION_STRING "${PROJECT_VERSION} (git ${FACTGRAPH_GIT_DESCRIBE})")
else()
  set(FACTGRAPH_VERSION_STRING "${PROJECT_VERSION}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/factgraph_version.h.in
               ${PROJECT_BINARY_DIR}/gen/version/factgraph_version.h @ONLY)
add_library(factgraph_version INTERFACE)
target_include_directories(factgraph_version INTERFACE ${PROJECT_BINARY_DIR}/gen/version)
