# Warnings are errors on the project's own code; generated code only gets the
# compiler's defaults.
function(factgraph_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror
                         -Wno-unused-parameter)
endfunction()

# A GoogleTest executable registered with CTest, warnings as errors.
function(factgraph_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  factgraph_warnings(${name})
  # Test helpers are included as "tests/...".
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock
                        GTest::gtest_main)
  target_compile_definitions(
    ${name} PRIVATE FACTGRAPH_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                    FACTGRAPH_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS
                       "${ARG_LABELS}")
endfunction()
