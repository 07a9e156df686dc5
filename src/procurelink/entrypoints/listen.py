"""Listening sockets for the servers procurelink starts."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn


def next_free_port(host: str, start: int, tries: int = 100) -> int:
    """``start`` or the next port after it that nobody listens on."""
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port in {start}..{start + tries - 1} on {host}")


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves signals alone: the worker owns SIGINT/SIGTERM and stops
    every server itself. Uvicorn's own handlers would restore the default SIGINT handler
    when one server stops and turn Ctrl-C into a KeyboardInterrupt mid-transaction."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class BackgroundServer:
    """An ASGI app served by uvicorn inside the running event loop."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
        self._server = _QuietServer(config)
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()  # re-raise why it could not start
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
