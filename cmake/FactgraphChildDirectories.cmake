# factgraph_add_child_directories(): adds every subfolder of the calling
# folder that has a CMakeLists.txt, in name order, so that a new component
# needs no edit in its parent.
function(factgraph_add_child_directories)
  file(GLOB children RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  foreach(child ${children})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
