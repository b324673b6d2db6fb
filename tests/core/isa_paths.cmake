# Runs isa_main once per vector path this CPU has (a narrower one is chosen
# with MLP_ISA), and once with the library's own blocked matrix product
# (MLP_GEMM=blocked, what a build without BLAS runs), and checks that each
# trains to the same predictions as the baseline within float rounding.
set(dir ${WORK_DIR}/isa_paths)
file(REMOVE_RECURSE ${dir})
file(MAKE_DIRECTORY ${dir})
foreach(path baseline avx2 avx512)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env MLP_ISA=${path} ${RUNNER} write ${dir}/${path}.npy
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "isa_main with MLP_ISA=${path} failed (${rc}): ${out}")
  endif()
  message(STATUS "MLP_ISA=${path}: ${out}")
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E env MLP_GEMM=blocked ${RUNNER} write ${dir}/blocked.npy
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "isa_main with MLP_GEMM=blocked failed (${rc}): ${out}")
endif()
foreach(path avx2 avx512 blocked)
  execute_process(COMMAND ${RUNNER} compare ${dir}/${path}.npy ${dir}/baseline.npy RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out)
  message(STATUS "${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the ${path} path trains differently from the baseline")
  endif()
endforeach()
message(STATUS "every vector path, and the blocked product, trains to the baseline's predictions")
