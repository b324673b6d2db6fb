# Runs resume_main three times, each a fresh process, and compares the weights
# of 10 straight epochs with those of 5 + checkpoint + load + 5.
set(dir ${WORK_DIR}/resume)
file(REMOVE_RECURSE ${dir})
file(MAKE_DIRECTORY ${dir})
foreach(step "straight;${dir}/straight.safetensors" "first;${dir}/checkpoint.safetensors"
        "rest;${dir}/checkpoint.safetensors;${dir}/resumed.safetensors")
  execute_process(COMMAND ${RUNNER} ${step} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "resume_main ${step} failed (${rc})")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${dir}/straight.safetensors ${dir}/resumed.safetensors
                RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "the resumed weights differ from 10 straight epochs")
endif()
message(STATUS "10 epochs straight == 5 + checkpoint + fresh process + 5: weights bit-identical")
