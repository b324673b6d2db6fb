# Runs data_parallel_main fail on 2 processes, where rank 1 raises in epoch 2:
# the job must end with a non-zero exit within 30 s and a message naming rank 1
# and the cause; then the checkpoint it left must resume in one process.
file(REMOVE_RECURSE ${DIR})
string(TIMESTAMP start "%s")
execute_process(COMMAND ${MPIEXEC} --oversubscribe -n 2 ${RUNNER} fail ${DIR}
                TIMEOUT 30 RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(TIMESTAMP end "%s")
math(EXPR seconds "${end} - ${start}")
if(rc EQUAL 0 OR rc MATCHES "timeout")
  message(FATAL_ERROR "the job with a failing rank ended with '${rc}' after ${seconds} s:\n${out}\n${err}")
endif()
if(NOT err MATCHES "rank 1 of 2: injected failure in epoch 2, batch 3")
  message(FATAL_ERROR "the message does not name rank 1 and its failure:\n${out}\n${err}")
endif()
message(STATUS "rank 1 failed; all ended in ${seconds} s with exit ${rc}")
execute_process(COMMAND ${RUNNER} resume ${DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the checkpoint did not resume (${rc}):\n${out}\n${err}")
endif()
message(STATUS "${out}")
