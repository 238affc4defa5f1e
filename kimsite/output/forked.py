"""Work done in a forked process beside the parent's own: the child starts with everything the
parent holds (nothing is pickled on the way in, the hub's 15,000 posts included), runs one
function and hands back its result, pickled, through a pipe. The hub writes its pages in
two such halves, one per core (output.publish.PublishingWriter.alongside).

The child never returns into the caller's code: it ends with `os._exit`, so no `finally`,
lock release or atexit handler of the parent's runs twice. An error in the child is raised
in the parent when it asks for the result, with the child's traceback as a note; an error
in the parent stops the child."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


class ForkedError(RuntimeError):
    """The child ended without handing back a result (killed, or a result that cannot be pickled)."""


@contextlib.contextmanager
def beside(body: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Start `body` in a forked process now; the yielded function waits for its result (call it
    once, inside the block). Leaving the block without the result stops the child."""
    pid, read = _fork(body)
    done = False

    def result() -> T:
        nonlocal done
        with os.fdopen(read, "rb") as pipe:
            payload = pipe.read()
        done = True
        _pid, status = os.waitpid(pid, 0)
        if not payload:
            raise ForkedError(f"the second process ended without a result (wait status {status})")
        ok, value, trace = pickle.loads(payload)  # noqa: S301 - our own child's, through our own pipe
        if ok:
            return value
        value.add_note(trace)
        raise value

    try:
        yield result
    finally:
        if not done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)


def _fork(body: Callable[[], object]) -> tuple[int, int]:
    """The child's process id and the pipe's end its result comes from; the child runs `body`."""
    read, write = os.pipe()
    gc.freeze()  # the objects the parent holds stay out of the child's collections: fewer pages copied
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        os.close(read)
        os.close(write)
        raise
    if pid == 0:
        os.close(read)
        _child(body, write)
    gc.unfreeze()
    os.close(write)
    return pid, read


def _child(body: Callable[[], object], fd: int) -> None:
    """Run `body`, write (ok, value, traceback) to `fd`, and end the process without unwinding."""
    status = 0
    try:
        try:
            payload = pickle.dumps((True, body(), ""), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # noqa: BLE001 - every error goes to the parent
            status = 1
            trace = "in the second process:\n" + traceback.format_exc()
            try:
                payload = pickle.dumps((False, error, trace), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - an error that cannot be pickled: its text
                payload = pickle.dumps((False, ForkedError(str(error)), trace))
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os._exit(status)
