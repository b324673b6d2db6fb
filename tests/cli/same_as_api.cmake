# Bar: `mlp train` on Fashion-MNIST gives the test accuracy the library API
# gives with the same recipe and seed (EXAMPLE = example_fashion_mnist), and
# `mlp evaluate` and `mlp predict` on the saved model agree with it.
set(dir ${WORK_DIR}/cli_vs_api)
file(REMOVE_RECURSE ${dir})
execute_process(COMMAND ${EXAMPLE} ${EPOCHS} 0 OUTPUT_VARIABLE api RESULT_VARIABLE rc)
string(REGEX MATCH "test loss: [0-9.]+ - accuracy: [0-9.]+" api_scores "${api}")
execute_process(COMMAND ${MLP} train --data fashion-mnist --layers 256:relu,128:relu,10:softmax --epochs ${EPOCHS}
                        --seed 0 --quiet --out ${dir} OUTPUT_VARIABLE cli RESULT_VARIABLE rc_cli)
string(REGEX MATCH "test loss: [0-9.]+ - accuracy: [0-9.]+" cli_scores "${cli}")
message(STATUS "library API: ${api_scores}")
message(STATUS "mlp train:   ${cli_scores}")
if(NOT rc EQUAL 0 OR NOT rc_cli EQUAL 0 OR api_scores STREQUAL "" OR NOT api_scores STREQUAL cli_scores)
  message(FATAL_ERROR "mlp train and the library API disagree:\n${api}\n${cli}")
endif()
execute_process(COMMAND ${MLP} evaluate ${dir}/model.safetensors --data fashion-mnist --quiet OUTPUT_VARIABLE evaluated)
message(STATUS "mlp evaluate: ${evaluated}")
if(NOT "test ${evaluated}" MATCHES "${cli_scores}")
  message(FATAL_ERROR "mlp evaluate gives '${evaluated}', training ended with '${cli_scores}'")
endif()
execute_process(COMMAND ${MLP} predict ${dir}/model.safetensors --input fashion-mnist:test -o ${dir}/predictions.csv -q
                RESULT_VARIABLE rc_predict)
string(REGEX MATCH "accuracy: ([0-9.]+)" _ "${cli_scores}")
execute_process(COMMAND ${PYTHON} ${CMAKE_CURRENT_LIST_DIR}/predicted_accuracy.py ${dir}/predictions.csv
                        ${LABELS} ${CMAKE_MATCH_1} RESULT_VARIABLE rc_check OUTPUT_VARIABLE checked)
message(STATUS "mlp predict: ${checked}")
if(NOT rc_predict EQUAL 0 OR NOT rc_check EQUAL 0)
  message(FATAL_ERROR "mlp predict's classes do not give the accuracy of mlp evaluate: ${checked}")
endif()
