"""No copies where none are needed, and nothing leaks: fit reads a large
float32 array in place, and a thousand fits leave memory where it was. Both
run in a fresh interpreter, whose peak is its own."""

import textwrap

from conftest import run_python


def test_fit_on_200_mb_does_not_copy_it():
    code = textwrap.dedent("""
        import resource
        import numpy as np
        import mlp
        rows, cols = 65536, 800                     # 200 MiB of float32
        x = np.empty((rows, cols), dtype=np.float32)
        np.random.default_rng(0).standard_normal(out=x, dtype=np.float32)
        y = (x[:, 0] > 0).astype(np.float32).reshape(-1, 1)
        model = mlp.Sequential(cols, [mlp.Dense(4, "relu"), mlp.Dense(1, "sigmoid")])
        model.compile("sgd", "binary_crossentropy")
        model.fit(x[:64], y[:64], epochs=1, verbose=0)   # the library's own first allocations
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        model.fit(x, y, epochs=1, batch_size=1024, verbose=0)
        model.evaluate(x, y)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print("array_kib", x.nbytes // 1024, "peak_rise_kib", after - before)
    """)
    ran = run_python(code)
    assert ran.returncode == 0, ran.stderr
    fields = ran.stdout.split()
    array_kib, rise_kib = int(fields[1]), int(fields[3])
    assert rise_kib < 0.10 * array_kib, ran.stdout


def test_a_thousand_fits_leak_nothing():
    code = textwrap.dedent("""
        import gc
        import numpy as np
        import mlp
        x = np.random.default_rng(0).normal(size=(32, 4)).astype(np.float32)
        y = (x[:, 0] > 0).astype(np.int64)
        def rss_kib():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * 4
        def one_fit():
            model = mlp.Sequential(4, [mlp.Dense(8, "relu"), mlp.Dense(2, "softmax")])
            model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
            stop = mlp.LambdaCallback(on_epoch_end=lambda epoch, logs: None)
            history = model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[stop, mlp.EarlyStopping("loss")])
            model.predict(x)
            model.get_weights()
            return history.history
        for _ in range(100):
            one_fit()
        gc.collect()
        rss, objects = rss_kib(), len(gc.get_objects())
        for _ in range(1000):
            one_fit()
        gc.collect()
        print("rss_rise_kib", rss_kib() - rss, "object_rise", len(gc.get_objects()) - objects)
    """)
    ran = run_python(code)
    assert ran.returncode == 0, ran.stderr
    fields = ran.stdout.split()
    rss_rise, object_rise = int(fields[1]), int(fields[3])
    # A leak of one small model per fit would be ~1,000 x 2 KiB and 1,000s of objects.
    assert rss_rise < 512, ran.stdout
    assert object_rise < 50, ran.stdout
