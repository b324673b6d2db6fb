"""Drives headless Chromium over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ended by NUL on file descriptors 3 and
4), with nothing but the standard library. One page; evaluate() runs
JavaScript in it and awaits promises; every console error, uncaught exception
and failed load, of the page and of its workers, is kept in `problems`.

    with Chromium("/usr/bin/chromium") as browser:
        browser.open("http://127.0.0.1:8000/#preset=moons")
        browser.evaluate("playground.epoch()")
"""
import base64
import json
import os
import subprocess
import tempfile
import threading
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--disable-background-timer-throttling",
         "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]


class PageError(Exception):
    pass


class Chromium:
    def __init__(self, executable, width=1400, height=1000):
        self.executable, self.width, self.height = executable, width, height
        self.problems = []  # console errors, exceptions, failed loads: what a test must not see
        self._next_id = 0
        self._answers = {}
        self._lock = threading.Condition()
        self._session = None

    def __enter__(self):
        self._profile = tempfile.TemporaryDirectory()
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The browser reads commands on fd 3 and writes answers on fd 4.
        command = ["sh", "-c", f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}', self.executable,
                   *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}", "about:blank"]
        self._process = subprocess.Popen(command, pass_fds=(to_browser_r, from_browser_w),
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        threading.Thread(target=self._read, daemon=True).start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.send(method)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False})
        # Workers report their console and exceptions in sessions of their own.
        self.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True})
        return self

    def __exit__(self, *exc):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_browser)
        self._profile.cleanup()

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                with self._lock:
                    self._answers[None] = {"error": {"message": "Chromium closed the pipe"}}
                    self._lock.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                self._handle(json.loads(raw))

    def _handle(self, message):
        if "id" in message:
            with self._lock:
                self._answers[message["id"]] = message
                self._lock.notify_all()
            return
        method, params = message.get("method"), message.get("params", {})
        if method == "Target.attachedToTarget":  # a worker: listen to it too
            threading.Thread(target=self.send, args=("Runtime.enable",),
                             kwargs={"session": params["sessionId"]}, daemon=True).start()
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.problems.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            d = params.get("exceptionDetails", {})
            self.problems.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            e = params["entry"]
            self.problems.append(f"log {e['level']}: {e.get('text')} {e.get('url', '')}".strip())

    def send(self, method, params=None, session=None, timeout=60):
        """A command to the page (or to `session`, or to the browser when session is False); returns its result."""
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        message = {"id": ident, "method": method, "params": params or {}}
        target = self._session if session is None else session
        if target:
            message["sessionId"] = target
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._lock:
            while ident not in self._answers and None not in self._answers:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PageError(f"no answer to {method} in {timeout} s")
                self._lock.wait(left)
            answer = self._answers.pop(ident, None) or self._answers[None]
        if "error" in answer:
            raise PageError(f"{method}: {answer['error'].get('message')}")
        return answer.get("result", {})

    def open(self, url):
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression, timeout=60):
        """The value of a JavaScript expression (a promise is awaited); PageError if it throws."""
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True, "timeout": timeout * 1000}, timeout=timeout + 5)
        if "exceptionDetails" in result:
            d = result["exceptionDetails"]
            raise PageError(f"{expression[:80]}: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        return result["result"].get("value")

    def wait_for(self, expression, timeout=60, what=None):
        """Polls until the expression is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except PageError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise PageError(f"timed out after {timeout} s waiting for {what or expression}")
            time.sleep(0.1)

    def screenshot(self, path):
        data = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])
        with open(path, "wb") as f:
            f.write(data)
        return len(data)
