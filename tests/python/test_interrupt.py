"""Ctrl-C during fit: KeyboardInterrupt within a batch, a model that still
works and resumes, and an intact checkpoint. Each case runs in a fresh
interpreter that sends itself SIGINT."""

import textwrap

from conftest import run_python

SETUP = textwrap.dedent("""
    import os, signal, threading, time
    import numpy as np
    import mlp
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 32)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    def make():
        model = mlp.Sequential(32, [mlp.Dense(64, "relu"), mlp.Dense(2, "softmax")], seed=3)
        model.compile("adam", "sparse_categorical_crossentropy")
        return model
    def ctrl_c_after(seconds):
        threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
""")


def test_ctrl_c_raises_keyboard_interrupt_and_the_model_resumes(tmp_path):
    checkpoint = tmp_path / "run.safetensors"
    code = SETUP + textwrap.dedent(f"""
        model = make()
        ctrl_c_after(0.5)
        start = time.perf_counter()
        try:
            model.fit(x, y, epochs=10000, batch_size=32, verbose=0, checkpoint={str(checkpoint)!r})
            print("not interrupted")
        except KeyboardInterrupt:
            print("KeyboardInterrupt after %.1f s" % (time.perf_counter() - start))
        done = len(model.history)
        assert done < 10000
        print("predicts", model.predict(x[:2]).shape)
        # The checkpoint holds where training stopped, and the model goes on from there.
        again = mlp.load_model({str(checkpoint)!r})
        assert np.array_equal(again.predict(x), model.predict(x))
        history = model.fit(x, y, epochs=done + 2, batch_size=32, verbose=0, resume=True)
        print("resumed to", len(history), "of", done + 2)
    """)
    ran = run_python(code, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert "KeyboardInterrupt after" in ran.stdout, ran.stdout
    seconds = float(ran.stdout.split("after ")[1].split(" s")[0])
    assert seconds < 5, ran.stdout
    assert "predicts (2, 2)" in ran.stdout
    resumed = ran.stdout.split("resumed to ")[1].split()
    assert resumed[0] == resumed[2], ran.stdout


def test_a_handler_that_does_not_raise_lets_training_go_on():
    code = SETUP + textwrap.dedent("""
        caught = []
        signal.signal(signal.SIGINT, lambda *args: caught.append(1))
        model = make()
        ctrl_c_after(0.2)
        history = model.fit(x, y, epochs=2000, batch_size=32, verbose=0)
        print("epochs", len(history), "caught", len(caught))
    """)
    ran = run_python(code, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert "epochs 2000 caught 1" in ran.stdout, ran.stdout
