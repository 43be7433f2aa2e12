"""Headless Chromium driven over the DevTools protocol (Debian's `chromium`
and `python3-websocket`): just what the explorer's browser tests need —
navigate, evaluate, type, wait for a condition, take screenshots — each with a
timeout, so that a misbehaving browser fails the test with a message instead
of hanging it.
"""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or ""
COMMAND_TIMEOUT = 15  # Seconds for one DevTools command.
START_TIMEOUT = 30    # Seconds for the browser to open its DevTools port.


class BrowserError(AssertionError):
    """Chromium did not do what was asked in time."""


class Browser:
    """One headless Chromium with one page, in a private profile."""

    def __init__(self, width=1280, height=900):
        if not CHROMIUM:
            raise BrowserError("chromium is not installed: run scripts/setup.sh")
        self.profile = tempfile.mkdtemp(prefix="factgraph-chromium-")
        self.log_path = os.path.join(self.profile, "chromium.log")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--remote-debugging-port=0",
             "--remote-debugging-address=127.0.0.1",
             "--user-data-dir=" + self.profile, "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-sync",
             "--disable-component-update", "--hide-scrollbars", "--mute-audio",
             "--force-device-scale-factor=1", "--window-size=%d,%d" % (width, height),
             "about:blank"],
            stdout=self._log, stderr=subprocess.STDOUT)
        self.next_id = 0
        self.events = []
        try:
            port = self._devtools_port()
            self.socket = websocket.create_connection(
                self._page_socket_url(port), timeout=COMMAND_TIMEOUT, suppress_origin=True)
            self.command("Runtime.enable")
            self.command("Log.enable")
            self.command("Page.enable")
            self.command("Emulation.setDeviceMetricsOverride", width=width, height=height,
                         deviceScaleFactor=1, mobile=False)
        except Exception:
            self.close()
            raise

    def _devtools_port(self):
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserError("chromium exited with %d:\n%s" %
                                   (self.process.returncode, self.log()))
            if os.path.exists(port_file):
                with open(port_file) as f:
                    lines = f.read().split("\n")
                if len(lines) >= 2 and lines[0].strip():
                    return int(lines[0])
            time.sleep(0.05)
        raise BrowserError("chromium opened no DevTools port within %ds:\n%s" %
                           (START_TIMEOUT, self.log()))

    def _page_socket_url(self, port):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port,
                                        timeout=COMMAND_TIMEOUT) as response:
                targets = json.load(response)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise BrowserError("chromium has no page target")

    def log(self):
        self._log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()[-4000:]

    def close(self):
        if getattr(self, "socket", None):
            try:
                self.socket.close()
            except Exception:
                pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def command(self, method, **params):
        """Sends one DevTools command and returns its result."""
        self.next_id += 1
        request_id = self.next_id
        self.socket.send(json.dumps({"id": request_id, "method": method, "params": params}))
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while True:
            if time.monotonic() > deadline:
                raise BrowserError("%s: no answer within %ds" % (method, COMMAND_TIMEOUT))
            try:
                message = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                raise BrowserError("%s: no answer within %ds" % (method, COMMAND_TIMEOUT))
            if message.get("id") == request_id:
                if "error" in message:
                    raise BrowserError("%s failed: %s" % (method, message["error"]))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression):
        """The value of a JavaScript expression (awaited if a promise)."""
        result = self.command("Runtime.evaluate", expression=expression, returnByValue=True,
                              awaitPromise=True, timeout=COMMAND_TIMEOUT * 1000)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError("%s threw: %s" % (
                expression, details.get("exception", {}).get("description", details)))
        return result["result"].get("value")

    def navigate(self, url):
        self.command("Page.navigate", url=url)

    def wait_for(self, expression, timeout=15, what=None):
        """Polls a JavaScript condition until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError("timed out after %ds waiting for %s; page %s, state %s:\n%s\n"
                                   "script errors: %s" % (
                                       timeout, what or expression, self.evaluate("location.href"),
                                       self.evaluate("document.body && document.body.dataset.state"),
                                       self.evaluate("document.body && document.body.innerText"
                                                     ".slice(0, 1500)"),
                                       self.script_errors()))
            time.sleep(0.05)

    def type_text(self, text):
        self.command("Input.insertText", text=text)

    def press_enter(self):
        for kind in ("keyDown", "keyUp"):
            self.command("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                         windowsVirtualKeyCode=13, nativeVirtualKeyCode=13,
                         text="\r" if kind == "keyDown" else "")

    def press_tab(self):
        for kind in ("keyDown", "keyUp"):
            self.command("Input.dispatchKeyEvent", type=kind, key="Tab", code="Tab",
                         windowsVirtualKeyCode=9, nativeVirtualKeyCode=9)

    def screenshot(self, path, height=None):
        """The viewport, or the page's top `height` CSS pixels at the viewport's width."""
        params = {"format": "png"}
        if height:
            width = self.evaluate("document.documentElement.clientWidth")
            params.update(clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                          captureBeyondViewport=True)
        data = self.command("Page.captureScreenshot", **params)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def script_errors(self):
        """Uncaught exceptions, console errors and browser log errors
        (Content-Security-Policy violations among them) so far."""
        errors = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                errors.append(details.get("exception", {}).get("description") or
                              details.get("text"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                errors.append(" ".join(str(a.get("value", a.get("description")))
                                       for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                errors.append(params["entry"].get("text"))
        return errors
