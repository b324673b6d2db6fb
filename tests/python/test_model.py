"""Every public class of mlp made and used from Python, with the results the
library's own tests hold it to."""

import json
import pathlib

import numpy as np
import pytest

import mlp
from conftest import same_bits


def test_fit_returns_keras_history_and_learns(moons, small_model):
    x, y = moons
    model = small_model()
    history = model.fit(x, y, epochs=30, batch_size=32, validation_split=0.2, verbose=0)
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"]
    assert history.epoch == list(range(30))
    assert len(history.history["loss"]) == 30
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x, y)
    assert accuracy > 0.85
    assert model.evaluate(x, y, return_dict=True) == {"loss": loss, "accuracy": accuracy}


def test_the_fashion_mnist_example_of_the_issue_runs_on_a_slice():
    (x, y), (x_test, y_test) = mlp.datasets.load("fashion-mnist")
    assert x.shape == (60000, 784) and x.dtype == np.float32 and y.dtype == np.int64
    assert x_test.shape == (10000, 784)
    model = mlp.Sequential(784, [mlp.Dense(256, "relu"), mlp.Dropout(0.2), mlp.Dense(10, "softmax")])
    model.compile(optimizer=mlp.Adam(lr=1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:3000], y[:3000], epochs=2, batch_size=128, verbose=0)
    loss, accuracy = model.evaluate(x_test[:1000], y_test[:1000])
    assert accuracy > 0.6, accuracy


def test_keras_call_forms(moons, small_model, capsys):
    x, y = moons
    model = small_model()
    history = model.fit(x, y, batch_size=None, epochs=2, verbose="auto")
    assert "Epoch 2/2" in capsys.readouterr().out and len(history) == 2
    assert history.model is model and history.params == {"epochs": 2, "verbose": 1}
    assert model.evaluate(x, y, batch_size=None, verbose=0) == model.evaluate(x, y)
    assert same_bits(model.predict(x, batch_size=None, verbose=0), model.predict(x))
    assert capsys.readouterr().out == ""


def test_add_builds_the_same_model_as_the_list(moons):
    x, y = moons
    listed = mlp.Sequential(2, [mlp.Dense(8, "tanh"), mlp.Dense(1, "sigmoid")], seed=4)
    added = mlp.Sequential(seed=4)
    added.add(mlp.Dense(8, "tanh"))
    added.add(mlp.Dense(1, "sigmoid"))
    added.build(2)
    for a, b in zip(listed.get_weights(), added.get_weights()):
        assert same_bits(a, b)
    keras_form = mlp.Sequential([mlp.Dense(8, "tanh"), mlp.Dense(1, "sigmoid")], seed=4)
    keras_form.compile("sgd", "binary_crossentropy")
    keras_form.fit(x, y, epochs=1, verbose=0)  # builds from the data's width
    assert keras_form.inputs == 2 and keras_form.count_params() == 2 * 8 + 8 + 8 + 1


@pytest.mark.parametrize("layer", [
    mlp.Dense(6, "elu", kernel_initializer="lecun_normal", kernel_regularizer=mlp.l2(1e-3),
              bias_regularizer=mlp.l1(1e-4), kernel_constraint=mlp.MaxNorm(3.0)),
    mlp.Dense(6, "gelu", use_bias=False, kernel_regularizer=mlp.l1_l2(1e-4, 1e-4)),
    mlp.Dropout(0.3),
    mlp.Activation("leaky_relu:0.2"),
    mlp.BatchNormalization(momentum=0.9),
    mlp.BatchNormalization(synchronized=True),  # alone, plain batch normalization
    mlp.Residual([mlp.Dense(4, "relu"), mlp.Dense(4)], init_scale=0.5),
    mlp.SimpleRNN(5, features=2, return_sequences=True),
    mlp.DenseStack(6, 3, "tanh"),
], ids=lambda layer: layer.type)
def test_every_layer_trains_and_passes_its_gradient_check(layer):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 4))
    y = rng.normal(size=(24, 1))
    model = mlp.Sequential(4, [layer, mlp.Dense(1)], dtype="float64", seed=1)
    model.compile(mlp.SGD(learning_rate=0.01), "mse")
    report = mlp.check.gradients(model, x[:6], y[:6])  # Dropout's masks hold through the check
    assert report.passed(1e-6), str(report)
    before = model.evaluate(x, y)
    model.fit(x, y, epochs=20, batch_size=8, verbose=0)
    assert model.evaluate(x, y) < before
    assert model.layers[0].type == layer.type and model.layers[0].name


def test_a_dense_stack_is_its_dense_layers():
    stack = mlp.DenseStack(8, 3, "relu", use_bias=False, name="trunk")
    assert (stack.units, stack.depth, stack.activation, stack.use_bias) == (8, 3, "relu", False)
    model = mlp.Sequential(5, [stack, mlp.Dense(2)], seed=2)
    plain = mlp.Sequential(5, [mlp.Dense(8, "relu", use_bias=False) for _ in range(3)] + [mlp.Dense(2)])
    plain.set_weights(model.get_weights())
    x = np.random.default_rng(1).normal(size=(20, 5)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x), plain.predict(x), rtol=1e-5, atol=1e-6)
    assert [w.shape for w in model.layers[0].get_weights()] == [(5, 8), (8, 8), (8, 8)]
    again = mlp.model_from_json(model.to_json())
    assert again.layers[0].name == "trunk" and again.layers[0].depth == 3
    with pytest.raises(mlp.ConfigError, match="activation gelu"):
        mlp.DenseStack(8, 2, "gelu")


def test_layer_gradient_check_and_loss_gradient_check():
    x = np.random.default_rng(1).normal(size=(5, 3))
    report = mlp.check.layer_gradients(mlp.Dense(4, "tanh"), x)
    assert [t.name for t in report.tensors] == ["Dense.kernel", "Dense.bias", "input"]
    assert report.passed() and report.max_relative_error() < 1e-6
    pred = np.array([[0.2, 0.8], [0.6, 0.4]])
    target = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert mlp.check.loss_gradients("categorical_crossentropy", pred, target).passed()
    assert mlp.check.loss_gradients(mlp.Loss("huber", delta=0.5), pred, target).passed()


def test_normalization_adapts_and_reaches_predict():
    rng = np.random.default_rng(2)
    x = rng.normal(50.0, 10.0, size=(200, 3)).astype(np.float32)
    norm = mlp.Normalization().adapt(x)
    model = mlp.Sequential(3, [norm, mlp.Activation("linear")])
    out = model.predict(x)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=0), 1.0, atol=1e-3)


@pytest.mark.parametrize("optimizer", [
    "sgd", "momentum", "nesterov", "adam", "amsgrad", "adamw", "rmsprop", "adagrad",
    mlp.SGD(learning_rate=0.05, momentum=0.9, nesterov=True), mlp.Adam(learning_rate=0.01, beta_1=0.8, amsgrad=True),
    mlp.AdamW(weight_decay=0.01), mlp.RMSprop(learning_rate=0.01, centered=True),
    mlp.Adagrad(learning_rate=0.1), mlp.Adam(lr=0.01, beta1=0.85, clipnorm=1.0),
], ids=repr)
def test_every_optimizer_lowers_the_loss(moons, optimizer):
    x, y = moons
    model = mlp.Sequential(2, [mlp.Dense(8, "relu"), mlp.Dense(1, "sigmoid")], seed=2)
    model.compile(optimizer, "binary_crossentropy")
    before = model.evaluate(x, y)
    model.fit(x, y, epochs=5, verbose=0)
    assert model.evaluate(x, y) < before
    assert model.optimizer.iterations == 5 * 13


def test_optimizer_options_reach_the_model():
    model = mlp.Sequential(2, [mlp.Dense(1)])
    model.compile(mlp.Adam(learning_rate=0.003), "mse")
    assert model.optimizer.name == "Adam"
    assert model.optimizer.learning_rate == pytest.approx(0.003)
    model.optimizer.learning_rate = 0.001
    assert model.optimizer.learning_rate == pytest.approx(0.001)


@pytest.mark.parametrize("schedule", [
    mlp.StepDecay(epochs=2, factor=0.5), mlp.ExponentialDecay(decay_steps=5, decay_rate=0.9),
    mlp.CosineDecay(warmup_steps=3), mlp.CosineDecayRestarts(first_decay_steps=10), mlp.LinearWarmup(warmup_steps=40),
    lambda epoch, step: 0.01 / (1 + epoch),
], ids=lambda s: type(s).__name__)
def test_every_schedule_sets_the_learning_rate(moons, small_model, schedule):
    x, y = moons
    model = small_model()
    history = model.fit(x, y, epochs=4, verbose=0, lr_schedule=schedule)
    rates = history.history["learning_rate"]
    assert len(set(rates)) > 1, rates


@pytest.mark.parametrize("loss,metrics,targets", [
    ("mse", ["mae", "mse", "rmse", "r2"], "values"),
    ("mae", ["mae"], "values"),
    (mlp.Loss("huber", delta=2.0), ["mse"], "values"),
    ("sparse_categorical_crossentropy", ["accuracy", "top_k_accuracy:2", "precision", "recall", "f1", "auc"], "ids"),
    ("categorical_crossentropy", ["accuracy", "auc"], "onehot"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_losses_and_metrics_by_name(loss, metrics, targets):
    x, ids = mlp.datasets.blobs(300, centers=3, seed=1)
    if targets == "values":
        model = mlp.Sequential(2, [mlp.Dense(8, "relu"), mlp.Dense(1)])
        y = x[:, :1] * 0.5 + 1.0
    else:
        model = mlp.Sequential(2, [mlp.Dense(8, "relu"), mlp.Dense(3, "softmax")])
        y = ids if targets == "ids" else np.eye(3, dtype=np.float32)[ids]
    model.compile("adam", loss, metrics)
    history = model.fit(x, y, epochs=3, verbose=0)
    assert set(metrics) <= set(history.history), history.history.keys()
    assert model.metrics_names[0] == "loss"


def test_weights_round_trip_through_numpy(moons, small_model):
    x, y = moons
    model = small_model()
    model.fit(x, y, epochs=2, verbose=0)
    weights = model.get_weights()
    assert model.weight_names == ["dense_1.kernel", "dense_1.bias", "dense_2.kernel", "dense_2.bias"]
    assert [w.shape for w in weights] == [(2, 16), (16,), (16, 1), (1,)]
    other = small_model(seed=9)
    other.set_weights(weights)
    assert same_bits(other.predict(x), model.predict(x))
    # The forward pass recomputed in NumPy is predict's.
    w1, b1, w2, b2 = weights
    hidden = np.maximum(x @ w1 + b1, 0)
    np.testing.assert_allclose(1 / (1 + np.exp(-(hidden @ w2 + b2))), model.predict(x), rtol=1e-5)
    layer = model.layers[0]
    layer.set_weights([np.zeros((2, 16)), np.ones(16)])
    assert np.all(model.layers[0].get_weights()[1] == 1)


def test_save_and_load_model_predict_bit_identically(tmp_path, moons, small_model):
    x, y = moons
    model = small_model()
    model.fit(x, y, epochs=3, verbose=0)
    path = tmp_path / "moons.safetensors"
    model.save(str(path))
    loaded = mlp.load_model(str(path))
    assert same_bits(loaded.predict(x), model.predict(x))
    # ... and it resumes training exactly as the original goes on.
    model.fit(x, y, epochs=5, verbose=0, resume=True)
    loaded.fit(x, y, epochs=5, verbose=0, resume=True)
    assert same_bits(loaded.predict(x), model.predict(x))
    model.save_weights(str(tmp_path / "w.safetensors"))
    fresh = small_model(seed=7)
    fresh.load_weights(str(tmp_path / "w.safetensors"))
    assert same_bits(fresh.predict(x), model.predict(x))


def test_json_round_trip():
    model = mlp.Sequential(3, [mlp.Dense(4, "relu"), mlp.BatchNormalization(synchronized=True),
                               mlp.Dense(2, "softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    again = mlp.model_from_json(model.to_json())
    assert json.loads(again.to_json()) == json.loads(model.to_json())
    assert again.compiled and again.loss == "sparse_categorical_crossentropy"
    assert again.layers[1].synchronized and not mlp.BatchNormalization().synchronized


def test_summary_goes_through_print(capsys):
    model = mlp.Sequential(3, [mlp.Dense(4, "relu", name="hidden"), mlp.Dense(1)])
    model.summary()
    out = capsys.readouterr().out
    assert "hidden (Dense)" in out and "Total params: 21" in out
    lines = []
    model.summary(print_fn=lines.append)
    assert "hidden (Dense)" in lines[0]


def test_progress_goes_through_sys_stdout(capsys, moons, small_model):
    x, y = moons
    small_model().fit(x, y, epochs=2, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out and "loss: " in out
    small_model().fit(x, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""


def test_compile_warnings_reach_python_warnings():
    model = mlp.Sequential(2, [mlp.Dense(3, "relu")])
    with pytest.warns(UserWarning, match="relu"):
        model.compile("adam", "categorical_crossentropy")
    assert model.warnings


def test_train_on_batch_compute_gradients_and_call():
    x = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    y = np.array([[1.0], [0.0]], dtype=np.float32)
    model = mlp.Sequential(2, [mlp.Dense(1)], dtype="float64")
    model.compile(mlp.SGD(learning_rate=0.1), "mse")
    loss = model.compute_gradients(x, y)
    kernel, bias = model.get_weights()
    pred = x @ kernel + bias
    grads = model.get_gradients()
    np.testing.assert_allclose(grads[0], x.T @ (2 * (pred - y) / 2), rtol=1e-12)
    assert loss == pytest.approx(float(np.mean((pred - y) ** 2)))
    first = model.train_on_batch(x, y)
    assert first == pytest.approx(loss) and model.train_on_batch(x, y) < first
    assert same_bits(model(x), model.predict(x))


def test_builtin_callbacks(tmp_path, moons, small_model):
    x, y = moons
    model = small_model()
    monitor = mlp.TrainingMonitor(x[:64])
    log = tmp_path / "log.csv"
    history = model.fit(x, y, epochs=40, batch_size=16, validation_split=0.25, verbose=0, callbacks=[
        mlp.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
        mlp.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1),
        mlp.ModelCheckpoint(str(tmp_path / "best.safetensors"), save_best_only=True),
        mlp.CSVLogger(str(log)),
        mlp.TerminateOnNaN(),
        monitor,
    ])
    epochs = len(history)
    assert epochs < 40  # stopped early
    assert (tmp_path / "best.safetensors").exists()
    assert len(log.read_text().strip().splitlines()) == epochs + 1
    assert monitor.epochs == epochs and len(monitor.layers[0].gradient_norm) == epochs
    assert min(history.history["learning_rate"]) < 0.01


def test_learning_rate_scheduler_calls_python(moons, small_model):
    x, y = moons
    seen = []
    def schedule(epoch, lr):
        seen.append(epoch)
        return 0.1 / (epoch + 1)
    history = small_model().fit(x, y, epochs=3, verbose=0, callbacks=[mlp.LearningRateScheduler(schedule)])
    assert seen == [0, 1, 2]
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])


def test_history_saves_and_loads(tmp_path, moons, small_model):
    x, y = moons
    history = small_model().fit(x, y, epochs=3, verbose=0)
    for name in ("h.csv", "h.json"):
        history.save(str(tmp_path / name))
        again = mlp.History.load(str(tmp_path / name))
        assert list(again.history) == list(history.history)
        for key, values in history.history.items():
            assert again.history[key] == pytest.approx(values, rel=1e-6)
    assert "loss" in history and history["loss"] == history.history["loss"]


def test_datasets():
    for make, shape in [(mlp.datasets.xor, (4, 2)), (lambda: mlp.datasets.circles(100), (100, 2)),
                        (lambda: mlp.datasets.spirals(90, arms=3), (90, 2)), (lambda: mlp.datasets.sine(50), (50, 1))]:
        x, y = make()
        assert x.shape == shape and x.dtype == np.float32
    x, y = mlp.datasets.sine(50)
    assert y.dtype == np.float32
    assert "fashion-mnist" in mlp.datasets.names()
    assert mlp.datasets.info("fashion-mnist")["classes"] == 10
    x, y = mlp.datasets.load("fashion-mnist", "test")
    assert x.shape == (10000, 784) and set(np.unique(y)) == set(range(10))


def test_load_csv(tmp_path):
    garden = pathlib.Path(__file__).resolve().parents[1] / "data" / "fixtures" / "garden.csv"
    x, y, info = mlp.datasets.load_csv(str(garden), label="species", categorical=["color"], ignore=["id"],
                                       return_info=True)
    assert x.dtype == np.float32 and y.dtype == np.int64 and len(x) == len(y)
    assert info["label"] == "species" and info["classes"] == len(info["class_names"]) == y.max() + 1
    assert any(name.startswith("color=") for name in info["feature_names"])
    two = tmp_path / "two.csv"
    two.write_text("a,s,b,d\n1,3,2,-1\n2,6,4,-2\n")
    x, y = mlp.datasets.load_csv(str(two), label=["s", "d"])
    assert x.tolist() == [[1, 2], [2, 4]] and y.tolist() == [[3, -1], [6, -2]] and y.dtype == np.float32
    two.write_text("a,s\n1,3\n2,x\n")
    with pytest.raises(mlp.DataError, match=r"two.csv:3: .*'x'"):
        mlp.datasets.load_csv(str(two), task="regression")
    with pytest.raises(FileNotFoundError):
        mlp.datasets.load_csv(str(tmp_path / "none.csv"))


def test_report_writes_the_page(tmp_path):
    x, y = mlp.datasets.moons(300, noise=0.2)
    model = mlp.Sequential(2, [mlp.Dense(8, "relu"), mlp.Dense(1, "sigmoid")])
    model.compile("adam", "binary_crossentropy", ["accuracy"])
    monitor = mlp.TrainingMonitor(x[:50])
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[monitor])
    path = tmp_path / "report.html"
    mlp.report(model, history, str(path), test=(x, y), monitor=monitor, title="moons")
    page = path.read_text()
    assert "<title>moons</title>" in page
    assert "confusion" in page.lower()
    assert "decision" in page.lower()


def test_threads_setting():
    before = mlp.num_threads()
    mlp.set_num_threads(1)
    assert mlp.num_threads() == 1
    mlp.set_num_threads(before)
    assert mlp.vector_path() in ("avx512", "avx2", "baseline", "native")


def test_export_onnx_writes_a_graph_onnx_accepts(tmp_path, moons, small_model):
    onnx = pytest.importorskip("onnx")
    x, y = moons
    model = small_model()
    model.fit(x, y, epochs=2, verbose=0)
    path = tmp_path / "moons.onnx"
    model.export_onnx(str(path), opset=18)
    graph = onnx.load(str(path))
    onnx.checker.check_model(graph, full_check=True)
    assert [i.name for i in graph.graph.input] == ["input"]
    assert [o.name for o in graph.graph.output] == ["output"]
    assert graph.opset_import[0].version == 18
    rnn = mlp.Sequential(6, [mlp.SimpleRNN(4, features=2, activation="gelu"), mlp.Dense(1)])
    with pytest.raises(mlp.ConfigError, match="simple_rnn_1"):
        rnn.export_onnx(str(tmp_path / "rnn.onnx"))
    assert not (tmp_path / "rnn.onnx").exists()


def test_load_onnx_gives_back_mlp_files_whole_and_reads_pytorch_exports(tmp_path, moons, small_model):
    x, y = moons
    model = small_model()
    model.fit(x, y, epochs=2, verbose=0)
    model.export_onnx(str(tmp_path / "moons.onnx"))
    back = mlp.load_onnx(str(tmp_path / "moons.onnx"))
    assert [layer.name for layer in back.layers] == [layer.name for layer in model.layers]
    np.testing.assert_array_equal(back.predict(x), model.predict(x))
    fixtures = pathlib.Path(__file__).resolve().parent.parent / "reference" / "onnx"
    torch_net = mlp.load_onnx(str(fixtures / "torch_depth3_tanh_leaky.onnx"))
    np.testing.assert_allclose(torch_net.predict(np.load(fixtures / "torch_depth3_tanh_leaky.x.npy")),
                               np.load(fixtures / "torch_depth3_tanh_leaky.y.npy"), rtol=1e-9, atol=1e-12)
    (tmp_path / "bad.onnx").write_text("not a model")
    with pytest.raises(mlp.IOError, match="bad.onnx: not an ONNX model"):
        mlp.load_onnx(str(tmp_path / "bad.onnx"))


def test_a_model_says_where_it_is_and_refuses_a_gpu_it_cannot_use():
    model = mlp.Sequential(4, [mlp.Dense(3, "softmax")])
    assert model.device == "cpu"
    assert model.to("cpu") is model  # chains, as PyTorch's
    with pytest.raises(mlp.ConfigError, match=r"cuda:99"):
        model.to("cuda:99")  # no machine has a hundred GPUs; a build without CUDA says so
    assert model.device == "cpu"
    with pytest.raises(mlp.ConfigError, match="expected cpu, cuda or cuda:N"):
        model.to("gpu")


def test_the_gpus_are_counted_and_their_absence_explained():
    count = mlp.cuda_device_count()
    assert count >= 0
    status = mlp.cuda_status()
    if count == 0:
        assert "no GPU" in status or "no CUDA" in status, status
    else:
        assert "cuda:0" in status, status


def test_the_matmul_precision_is_float32_unless_set_and_names_are_checked():
    assert mlp.matmul_precision() == "float32"
    with pytest.raises(mlp.ConfigError, match="the choices are float32, tf32 and bf16"):
        mlp.set_matmul_precision("fp16")
    mlp.set_matmul_precision("float32")
    try:
        mlp.set_matmul_precision("bf16")  # a build without CUDA refuses, saying why
    except mlp.ConfigError as e:
        assert "no CUDA backend" in str(e)
        assert mlp.cuda_device_count() == 0
    else:
        assert mlp.matmul_precision() == "bf16"
        mlp.set_matmul_precision("float32")
    assert mlp.matmul_precision() == "float32"
