# Builds the library for WebAssembly (scripts/build-wasm.sh into WASM_DIR),
# runs web/train_preset under node and natively (with the same blocked
# product, MLP_GEMM=blocked), and compares: before training the weights must
# be bit-identical (same initialization), after 50 epochs within 1e-5 of the
# largest weight. They are not bit-identical then: emscripten's C library
# (musl) rounds tanh, and exp and pow in double, differently from glibc in
# the last bit.
execute_process(COMMAND ${CMAKE_COMMAND} -E env MLP_WASM_BUILD_DIR=${WASM_DIR} ${SOURCE_DIR}/scripts/build-wasm.sh
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "scripts/build-wasm.sh failed (${rc}):\n${out}\n${err}")
endif()
file(SIZE ${WASM_DIR}/web/train_preset.js bytes)
message(STATUS "built for WebAssembly: train_preset.js, ${bytes} bytes with the module inside")
foreach(epochs 0 50)
  execute_process(COMMAND ${NODE} ${WASM_DIR}/web/train_preset.js ${epochs} OUTPUT_FILE ${WASM_DIR}/wasm_${epochs}.txt
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "node train_preset.js ${epochs} failed (${rc}): ${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env MLP_GEMM=blocked ${NATIVE} ${epochs}
                  OUTPUT_FILE ${WASM_DIR}/native_${epochs}.txt RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "train_preset_native ${epochs} failed (${rc}): ${err}")
  endif()
endforeach()
file(READ ${WASM_DIR}/wasm_0.txt wasm_init)
file(READ ${WASM_DIR}/native_0.txt native_init)
if(NOT wasm_init STREQUAL native_init)
  message(FATAL_ERROR "the initial weights differ between WebAssembly and native")
endif()
message(STATUS "initial weights: bit-identical")
execute_process(COMMAND ${PYTHON} ${CMAKE_CURRENT_LIST_DIR}/compare_weights.py ${WASM_DIR}/wasm_50.txt
                        ${WASM_DIR}/native_50.txt 1e-5 RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "after 50 epochs: ${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "WebAssembly trains away from the native library")
endif()
message(STATUS "the WebAssembly build trains to the native library's weights")
