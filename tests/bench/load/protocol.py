"""One Streamlit session spoken at the protocol level: the websocket and protobuf messages the
browser exchanges with the server (streamlit 1.67), without a browser.

Sent (BackMsg): only `rerun_script` (a ClientState), as the frontend sends it: on a page URL the
first one names the page by its URL path (`page_name`, empty `page_script_hash`); a sidebar click
names it by the `page_script_hash` the server's `navigation` message listed, with an empty query
string; a widget change repeats the current page's hash and query string (the address as the
server's `page_info_changed` last set it) with the `widget_states` of the widgets changed on this
page. `context_info` carries the URL, time zone and locale as a Dutch browser's would.

Received (ForwardMsg): `new_session` starts a script run (again after `st.rerun`), `navigation`
lists the pages and names the one the router runs, `page_info_changed` sets the query string,
`delta`s draw elements (the widgets are read from them, an `exception` element is a failure), and
`script_finished` ends a run:
FINISHED_SUCCESSFULLY (or a fragment's) ends the action; FINISHED_EARLY_FOR_RERUN means another
run follows (st.rerun, st.switch_page) and is waited for; a compile error, `page_not_found`, a
`session_event` with a compilation exception, a closed connection or no end within the timeout
is a failure."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from tests.bench.load import widgets
from tests.bench.load.widgets import Value, Widget

STREAM = "/_stcore/stream"
ACTION_TIMEOUT_S = 120.0  # an action not finished by then is a failure (a wait, not a target)
ENDED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


class FailedError(Exception):
    """An action that did not end in a finished script run; the message says why."""


@dataclass
class Run:
    """What one action's script runs drew."""

    widgets: dict[str, Widget] = field(default_factory=dict)  # by label; the first of a label
    errors: list[str] = field(default_factory=list)  # st.error texts (the app's own messages)
    exceptions: list[str] = field(default_factory=list)
    runs: int = 0  # script runs until the finished one (more than 1 after st.rerun)


class Session:
    """A browser tab's session on one server: open pages, change widgets, each awaited to its end."""

    def __init__(self, url: str) -> None:
        self.base = url.rstrip("/")
        self.socket: ClientConnection | None = None
        self.pages: dict[str, str] = {}  # URL path -> page_script_hash, from `navigation`
        self.page_hash = ""
        self.path = ""
        self.query_string = ""
        self.drawn = Run()
        self.changed: dict[str, Value] = {}  # widget id -> the value sent, on the current page

    async def connect(self) -> None:
        parts = urlsplit(self.base)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.socket = await connect(
            f"{scheme}://{parts.netloc}{parts.path}{STREAM}",
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,  # a map's deltas are megabytes
            ping_interval=None,  # a browser sends no pings; the server's are answered
            open_timeout=ACTION_TIMEOUT_S,
        )

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def open(self, path: str, query: str = "") -> tuple[float, Run]:
        """A page by its URL path: a sidebar click once the pages are known, else its address."""
        page_hash = self.pages.get(path, "")
        state = ClientState(page_script_hash=page_hash, page_name="" if page_hash else path, query_string=query)
        self.path, self.changed = path, {}
        return await self._rerun(state)

    async def change(self, label: str) -> tuple[float, Run]:
        """The widget labelled `label` on the current page set to another value."""
        widget = self.drawn.widgets.get(label)
        if widget is None:
            raise FailedError(f"no widget {label!r} on {self.path}")
        self.changed[widget.id] = widget.changed(self.changed.get(widget.id))
        state = ClientState(page_script_hash=self.page_hash, query_string=self.query_string)
        drawn = {w.id: w for w in self.drawn.widgets.values()}
        for widget_id, value in self.changed.items():
            if widget_id in drawn:
                state.widget_states.widgets.append(drawn[widget_id].state(value))
        return await self._rerun(state)

    async def _rerun(self, state: ClientState) -> tuple[float, Run]:
        """Send the rerun; seconds until its script runs finished, and what they drew."""
        if self.socket is None:
            raise FailedError("not connected")
        state.context_info.url = f"{self.base}/{self.path}" + (f"?{state.query_string}" if state.query_string else "")
        state.context_info.timezone, state.context_info.locale = "Europe/Amsterdam", "nl-NL"
        started, run = time.perf_counter(), Run()
        try:
            async with asyncio.timeout(ACTION_TIMEOUT_S):
                await self.socket.send(BackMsg(rerun_script=state).SerializeToString())
                while not self._take(ForwardMsg.FromString(await self.socket.recv()), run):
                    pass
        except TimeoutError as error:
            raise FailedError(f"no finished run within {ACTION_TIMEOUT_S:.0f} s") from error
        except ConnectionClosed as error:
            raise FailedError(f"connection closed ({error.rcvd.code if error.rcvd else 'no close frame'})") from error
        seconds = time.perf_counter() - started
        if run.exceptions:
            raise FailedError(f"exception shown: {run.exceptions[0]}")
        self.drawn = run
        return seconds, run

    def _take(self, message: ForwardMsg, run: Run) -> bool:
        """Take in one message; whether it ended the action."""
        kind = message.WhichOneof("type")
        if kind == "new_session":
            run.widgets, run.runs = {}, run.runs + 1
        elif kind == "navigation":
            self.pages = {page.url_pathname: page.page_script_hash for page in message.navigation.app_pages}
            self.page_hash = message.navigation.page_script_hash  # the page the router runs
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._drawn(message.delta.new_element, run)
        elif kind == "page_not_found":
            raise FailedError(f"page not found: {self.path}")
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            raise FailedError("script compilation error")
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise FailedError("script compilation error")
            return message.script_finished in ENDED
        return False

    @staticmethod
    def _drawn(element: Element, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            run.exceptions.append(element.exception.type or "exception")
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            run.errors.append(element.alert.body[:100])
        elif (widget := widgets.read(element)) is not None:
            run.widgets.setdefault(widget.label, widget)
