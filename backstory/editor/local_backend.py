"""The content manager's local backend: decap-server, started on 127.0.0.1 beside the preview,
so that the admin page opened on this computer reads and writes the site's ``content/``.

It runs in decap-server's file-system mode: each save writes the fact file and nothing else (no
git commit, no branch), and the preview shows the change as it does for a hand edit. Its other
mode (git) checks out branches in the working folder, which would sweep unrelated files into
its commits; Backstory never starts it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..errors import LocalBackendError

HOST = "127.0.0.1"
PACKAGE = "decap-server"
VERSION = "3.11.3"
"""The version Backstory is tested with (``package.json``); a new site's ``package.json``
pins it too."""
SCRIPT = Path("node_modules", PACKAGE, "dist", "index.js")
INSTALL_HINT = (
    f"install it in the site's folder with: npm install --save-dev --save-exact {PACKAGE}@{VERSION}"
    " (Node.js 18 or newer)"
)


def decap_server_command(root: Path) -> list[str]:
    """How to run decap-server for a site: the site's own ``node_modules`` copy (run with
    ``node``), else a ``decap-server`` on the PATH; LocalBackendError when there is neither."""
    script = root / SCRIPT
    if script.is_file():
        node = shutil.which("node")
        if node is None:
            raise LocalBackendError(
                f"{PACKAGE} is in {root / 'node_modules'}, but node is not on "
                "the PATH: install Node.js 18 or newer"
            )
        return [node, str(script)]
    installed = shutil.which(PACKAGE)
    if installed is not None:
        return [installed]
    raise LocalBackendError(
        f"{PACKAGE} (the content manager's local backend) is not installed: " + INSTALL_HINT
    )


@dataclass
class LocalBackend:
    """A running decap-server; ``stop()`` ends it."""

    process: subprocess.Popen[bytes]
    url: str

    def stop(self, timeout: float = 5.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)


def start_local_backend(
    root: Path, *, port: int, command: list[str] | None = None, timeout: float = 30.0
) -> LocalBackend:
    """Start decap-server for the site in ``root`` on 127.0.0.1:``port`` and wait until it
    answers; LocalBackendError when the port is taken or the server stops or stays silent."""
    if not _port_is_free(port):
        raise LocalBackendError(
            f"port {port} on {HOST} is in use: stop what runs there, or choose another port "
            "with --backend-port"
        )
    environment = {
        **os.environ,
        "MODE": "fs",
        "BIND_HOST": HOST,  # its default is every interface
        "PORT": str(port),
        "GIT_REPO_DIRECTORY": str(root),
    }
    process = subprocess.Popen(
        command or decap_server_command(root), cwd=root, env=environment, stdin=subprocess.DEVNULL
    )
    backend = LocalBackend(process, f"http://{HOST}:{port}/api/v1")
    deadline = time.monotonic() + timeout
    while not _answers(backend.url):
        if process.poll() is not None:
            raise LocalBackendError(f"{PACKAGE} stopped as it started (exit {process.returncode})")
        if time.monotonic() > deadline:
            backend.stop()
            raise LocalBackendError(f"{PACKAGE} did not answer on {backend.url} in {timeout:g} s")
        time.sleep(0.05)
    return backend


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _answers(url: str) -> bool:
    """Whether decap-server answers its ``info`` request at ``url``."""
    request = urllib.request.Request(
        url,
        data=json.dumps({"action": "info"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with direct.open(request, timeout=1) as response:
            return bool(json.loads(response.read()).get("type"))
    except (OSError, ValueError, urllib.error.URLError):
        return False
