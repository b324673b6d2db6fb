"""fit, evaluate and predict release the GIL: other Python threads run while
they work, and several threads predict with one model at once."""

import threading
import time

import numpy as np

import mlp
from conftest import same_bits


def model_and_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20000, 64)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = mlp.Sequential(64, [mlp.Dense(256, "relu"), mlp.Dense(256, "relu"), mlp.Dense(2, "softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model, x, y


def test_threads_predict_at_once_and_agree():
    model, x, y = model_and_data()
    model.fit(x, y, epochs=1, verbose=0)
    expected = model.predict(x[:500])
    results = [None] * 4
    errors = []

    def work(i):
        try:
            for _ in range(3):
                results[i] = model.predict(x[:500])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for r in results:
        assert same_bits(r, expected)


def test_python_runs_while_fit_works():
    model, x, y = model_and_data()
    done = threading.Event()
    ticks = []

    def train():
        model.fit(x, y, epochs=5, batch_size=64, verbose=0)
        done.set()

    worker = threading.Thread(target=train)
    start = time.perf_counter()
    worker.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.005)
    worker.join()
    elapsed = time.perf_counter() - start
    # Had fit held the GIL, this loop would have stood still for all of it.
    gaps = np.diff([start] + ticks)
    assert elapsed > 0.2, "the fit was too short to tell"
    assert gaps.max() < elapsed / 4, (gaps.max(), elapsed)
    assert len(ticks) > 10
