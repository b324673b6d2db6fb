# Runs data_parallel_main on 2 processes, where rank 1 fails in epoch 2: first
# it raises (MODE fail), then it is killed (MODE die). Each time the job must
# end with a non-zero exit within 30 s and a message naming rank 1 (and, when
# it raised, the cause); then the checkpoint it left must resume in one process.
foreach(mode fail die)
  file(REMOVE_RECURSE ${DIR})
  string(TIMESTAMP start "%s")
  execute_process(COMMAND ${MPIEXEC} --oversubscribe -n 2 ${RUNNER} ${mode} ${DIR}
                  TIMEOUT 30 RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(TIMESTAMP end "%s")
  math(EXPR seconds "${end} - ${start}")
  if(rc EQUAL 0 OR rc MATCHES "timeout")
    message(FATAL_ERROR "${mode}: the job with a failing rank ended with '${rc}' after ${seconds} s:\n${out}\n${err}")
  endif()
  if(mode STREQUAL "fail")
    set(expected "rank 1 of 2: injected failure in epoch 2, batch 3")
  else()  # mpirun's own words for a process that died
    set(expected "rank 1 with PID [0-9]+ on node [^ ]+ exited on signal 9")
  endif()
  if(NOT "${out}${err}" MATCHES "${expected}")
    message(FATAL_ERROR "${mode}: the message does not name rank 1 and its failure:\n${out}\n${err}")
  endif()
  message(STATUS "${mode}: rank 1 failed; all ended in ${seconds} s with exit ${rc}")
  execute_process(COMMAND ${RUNNER} resume ${DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${mode}: the checkpoint did not resume (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${mode}: ${out}")
endforeach()
