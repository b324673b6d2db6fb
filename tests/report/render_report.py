#!/usr/bin/env python3
"""Renders an mlp HTML page in headless Chromium and checks that it shows what it should.

usage: render_report.py CHROMIUM PAGE --expect ID,ID,... [--screenshot OUT.png] [-- COMMAND ...]

COMMAND (an mlp run that writes PAGE) runs first. Then:
- the file is self-contained: no <script>, nothing fetched from elsewhere, a
  content security policy that forbids fetching (so a slip would show below);
- Chromium loads it with no console message at all (a CSP violation, a failed
  load or a script error all appear there);
- in the DOM Chromium built, every chart (<svg class="chart">) named in
  --expect is present, every chart has data drawn (series paths with at least
  two points, heat map cells, images, dots), and every embedded PNG decodes;
- the screenshot is a PNG of the window's size with more than blank in it.
"""
import base64
import html.parser
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]
WINDOW = (1280, 2400)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


class Charts(html.parser.HTMLParser):
    """Counts the data drawn inside each <svg class="chart">, by its data-chart id."""

    def __init__(self):
        super().__init__()
        self.charts = {}  # id -> {"series": n, "empty_series": [names], "marks": n}
        self.current = None
        self.depth = 0
        self.pngs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "chart" in (a.get("class") or "").split():
            self.current = a.get("data-chart") or "(unnamed)"
            if self.current in self.charts:
                fail("two charts named " + self.current)
            self.charts[self.current] = {"series": 0, "empty_series": [], "marks": 0}
            self.depth = 1
            return
        if self.current is None:
            return
        if tag == "svg":
            self.depth += 1
        chart = self.charts[self.current]
        cls = (a.get("class") or "").split()
        if tag == "path" and "series" in cls:
            points = len(re.findall(r"[ML]\s*-?[0-9.]+\s+-?[0-9.]+", a.get("d") or ""))
            if points >= 2:
                chart["series"] += 1
            else:
                chart["empty_series"].append(a.get("data-series"))
        elif (tag == "rect" and "cell" in cls) or tag == "circle":
            chart["marks"] += 1
        elif tag == "image":
            href = a.get("href") or a.get("xlink:href") or ""
            if not href.startswith("data:image/png;base64,"):
                fail(f"chart {self.current}: an image that is not an embedded PNG: {href[:60]}")
            self.pngs.append((self.current, base64.b64decode(href.split(",", 1)[1])))
            chart["marks"] += 1

    def handle_endtag(self, tag):
        if self.current is not None and tag == "svg":
            self.depth -= 1
            if self.depth == 0:
                self.current = None


def png_size(data, where):
    """Checks the PNG's structure, chunk CRCs and pixel data length; returns (width, height)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(where + ": not a PNG")
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            fail(where + ": bad CRC in chunk " + kind.decode(errors="replace"))
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour, 1) * max(1, depth // 8)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if len(zlib.decompress(idat)) != height * (width * channels + 1):
        fail(f"{where}: pixel data does not fit {width}x{height}")
    return width, height


def main():
    args = sys.argv[1:]
    command = []
    if "--" in args:
        command = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    chromium, page = args[0], args[1]
    expect = args[args.index("--expect") + 1].split(",") if "--expect" in args else []
    shot = args[args.index("--screenshot") + 1] if "--screenshot" in args else None

    if command:
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"{' '.join(command)} exited {run.returncode}: {run.stderr.strip()}")
    text = open(page, encoding="utf-8").read()
    if re.search(r"<script", text, re.I):
        fail(page + " has a <script>")
    # What the page would fetch: src attributes and <link href>. A link (<a href>)
    # fetches nothing unless followed.
    external = re.findall(r"""(?:\bsrc|<link\b[^>]*\bhref)\s*=\s*["']((?!data:)[^"'#][^"']*)""", text)
    if external:
        fail(f"{page} refers to {external[:3]}: the page must be self-contained")
    if "Content-Security-Policy" not in text:
        fail(page + " has no content security policy")

    url = "file://" + os.path.abspath(page)
    with tempfile.TemporaryDirectory() as profile:
        flags = FLAGS + ["--user-data-dir=" + profile]
        dump = subprocess.run([chromium] + flags + ["--dump-dom", url], capture_output=True, text=True, timeout=180)
        if dump.returncode != 0:
            fail(f"chromium exited {dump.returncode}: {dump.stderr[-2000:]}")
        console = [line for line in dump.stderr.splitlines() if ":CONSOLE" in line]
        if console:
            fail("console messages while loading the page:\n" + "\n".join(console))
        if "</html>" not in dump.stdout:
            fail("chromium's DOM dump is incomplete")
        parser = Charts()
        parser.feed(dump.stdout)
        for name in expect:
            if name not in parser.charts:
                fail(f"no chart '{name}' in the page; it has: {', '.join(parser.charts)}")
        for name, chart in parser.charts.items():
            if chart["empty_series"]:
                fail(f"chart '{name}': series {chart['empty_series']} have no points")
            if chart["series"] + chart["marks"] == 0:
                fail(f"chart '{name}' is empty")
        for name, data in parser.pngs:
            png_size(data, "an image in chart " + name)

        if shot:
            run = subprocess.run([chromium] + flags + [f"--window-size={WINDOW[0]},{WINDOW[1]}",
                                                       "--screenshot=" + os.path.abspath(shot), url],
                                 capture_output=True, text=True, timeout=180)
            if run.returncode != 0 or not os.path.exists(shot):
                fail(f"no screenshot (chromium exited {run.returncode})")
            data = open(shot, "rb").read()
            size = png_size(data, shot)
            if size != WINDOW:
                fail(f"{shot} is {size}, not {WINDOW}")
            # A blank page compresses to a few kilobytes; charts and text do not.
            if len(data) < 40_000:
                fail(f"{shot} is only {len(data)} bytes: the page looks blank")

    counts = ", ".join(f"{n} ({c['series']} series, {c['marks']} marks)" for n, c in parser.charts.items())
    print(f"{page}: rendered without console messages; {len(parser.charts)} charts: {counts}")


if __name__ == "__main__":
    main()
