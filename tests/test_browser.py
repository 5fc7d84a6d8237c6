"""JupyterLab in headless Chromium: run a notebook, move the depth slider, see the plot change.

The test starts its own JupyterLab server on 127.0.0.1 with a free port and a random token.
Its root folder is a temporary copy of the notebook, so autosave never touches the
repository. Playwright's sync API drives Debian's Chromium, and the server is always
stopped at the end.

Notebooks: the course's gradient-flow lesson (notebooks/06_gradient_flow.ipynb) and the
minimal tests/notebooks/gradient_flow_widget.ipynb, which separates a widget failure from
a lesson failure. Set FOURRESNET_BROWSER_NOTEBOOKS to notebook paths (relative to the
repository, separated by os.pathsep) to run the check on others; each must display a
GradientFlowExplorer.

Chromium: $FOURRESNET_CHROMIUM, else /usr/bin/chromium, else `chromium` on PATH. Without
it the test is skipped, or fails when CI=true.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fourresnet_lib.i18n import t

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_NOTEBOOKS = ["notebooks/06_gradient_flow.ipynb", "tests/notebooks/gradient_flow_widget.ipynb"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 60.0  # seconds
NOTEBOOK_RUN_TIMEOUT_MS = 180_000  # kernel start and every cell of the notebook
UPDATE_TIMEOUT_MS = 30_000  # one slider update


def notebooks() -> list[str]:
    configured = os.environ.get("FOURRESNET_BROWSER_NOTEBOOKS")
    if configured:
        return [item for item in configured.split(os.pathsep) if item]
    return DEFAULT_NOTEBOOKS


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is an error instead of a skip)")
    pytest.skip(reason)


def find_chromium() -> str | None:
    candidates = [os.environ.get("FOURRESNET_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_request(base: str, token: str, path: str, method: str = "GET") -> bytes:
    request = urllib.request.Request(f"{base}{path}", method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read()


class LabServer:
    """A JupyterLab process serving ``root`` on 127.0.0.1."""

    def __init__(self, root: Path, state: Path):
        self.root = root
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = state / "jupyterlab.log"

        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(state / "config"),
            JUPYTER_RUNTIME_DIR=str(state / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
            IPYTHONDIR=str(state / "ipython"),
            FOURRESNET_QUICK="1",
        )

        command = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # CI containers often run as root

        self.log = open(self.log_path, "wb")
        # A new session makes the server and its kernels one process group, so stop()
        # can end all of them even when the server does not shut its kernels down.
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log_text()}")
            try:
                api_request(self.base, self.token, "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise TimeoutError(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{self.log_text()}")

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                api_request(self.base, self.token, "/api/shutdown", method="POST")
                self.process.wait(timeout=15)
            except (urllib.error.URLError, ConnectionError, TimeoutError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Kernels that outlived the server are in the same process group.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        skip_or_fail("Chromium not found: install the chromium package or set FOURRESNET_CHROMIUM")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("Python Playwright is not installed: pip install -e '.[test]'")
    return path


@pytest.fixture
def lab(tmp_path, request, chromium_path):
    root = tmp_path / "root"
    state = tmp_path / "state"
    root.mkdir()
    state.mkdir()
    server = LabServer(root, state)
    request.addfinalizer(server.stop)
    server.wait_ready()
    return server


def image_digest(image) -> str:
    """Return the SHA-256 of the bytes behind the <img> element ``image`` (a Locator)."""
    return image.evaluate(
        """async (element) => {
            const data = await (await fetch(element.src)).arrayBuffer();
            const digest = await crypto.subtle.digest("SHA-256", data);
            return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, "0")).join("");
        }"""
    )


def kernel_idle(page):
    return page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\|\s*Idle")).first


def run_all_cells(page) -> None:
    # A run requested before the kernel is connected can be dropped, so wait for the
    # kernel status in the status bar first.
    kernel_idle(page).wait_for(timeout=NOTEBOOK_RUN_TIMEOUT_MS)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("notebook", notebooks())
def test_depth_slider_changes_plot(notebook, lab, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    source = ROOT / notebook
    assert source.is_file(), f"notebook not found: {source}"
    shutil.copy(source, lab.root / source.name)
    depth_label = t("viz.widget_depth")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(UPDATE_TIMEOUT_MS)
            page.goto(f"{lab.base}/lab/tree/{source.name}?token={lab.token}")
            page.locator(".jp-NotebookPanel").first.wait_for(timeout=NOTEBOOK_RUN_TIMEOUT_MS)
            run_all_cells(page)

            slider = page.locator(".widget-slider", has=page.locator(f'label:text-is("{depth_label}")')).first
            slider.wait_for(timeout=NOTEBOOK_RUN_TIMEOUT_MS)
            widget = page.locator(".widget-vbox", has=slider).last
            image = widget.locator("img.widget-image").first
            expect(image).to_have_attribute("src", re.compile(r"^blob:"), timeout=NOTEBOOK_RUN_TIMEOUT_MS)
            # Later cells may still change the widget, so wait until every cell has run.
            expect(page.locator(".jp-InputArea-prompt", has_text="[*]")).to_have_count(
                0, timeout=NOTEBOOK_RUN_TIMEOUT_MS)
            kernel_idle(page).wait_for(timeout=NOTEBOOK_RUN_TIMEOUT_MS)
            # JupyterLab does not render cells outside the viewport, so scroll to the widget.
            slider.scroll_into_view_if_needed()
            readout = slider.locator(".widget-readout")
            expect(readout).to_have_text(re.compile(r"^\s*\d+\s*$"))
            start_depth = int(readout.text_content().strip())
            start_src = image.get_attribute("src")
            start_digest = image_digest(image)

            # Drag the handle to the other half of the track and release it there.
            handle = slider.locator(".noUi-handle")
            low = float(handle.get_attribute("aria-valuemin"))
            high = float(handle.get_attribute("aria-valuemax"))
            target = 0.8 if (start_depth - low) / (high - low) < 0.5 else 0.2
            track = slider.locator(".noUi-base").bounding_box()
            box = handle.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.down()
            page.mouse.move(track["x"] + track["width"] * target, box["y"] + box["height"] / 2, steps=8)
            page.mouse.up()

            expect(readout).not_to_have_text(str(start_depth))
            new_depth = int(readout.text_content().strip())
            expect(image).not_to_have_attribute("src", start_src, timeout=UPDATE_TIMEOUT_MS)
            status = widget.locator(".widget-html").first
            expect(status).to_contain_text(str(new_depth), timeout=UPDATE_TIMEOUT_MS)
            new_digest = image_digest(image)
            error_text = widget.locator(".widget-html").nth(1).text_content()
        finally:
            browser.close()

    assert new_depth != start_depth
    assert (new_depth - 20) % 6 == 0
    assert new_digest != start_digest
    assert error_text.strip() == ""
