"""What one simulated user does: open pages and change widgets in a loop, until the level's time
is up; every action timed from sending it to its finished script run.

The steps are those of the browser bench and the issue: the Kaart (its Niveau and Maat radios),
Trends (the Maanden slider and the Per radio), the Overzicht and the Wijkprofiel (its Gebied).
Each user starts on another page (by its URL, as a link opens it), then follows the sidebar. After
a failed action the user reloads: a new connection, on the next page."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass

from websockets.exceptions import WebSocketException

from dashboard import routes
from tests.bench.load.protocol import FailedError, Session


@dataclass(frozen=True)
class Step:
    page: str  # the URL path ("" for the default page)
    widget: str | None = None  # the label of the widget changed; None: open the page

    @property
    def name(self) -> str:
        return f"{self.page or 'overzicht'}: {self.widget}" if self.widget else f"open {self.page or 'overzicht'}"


def _path(route: routes.Route) -> str:
    return "" if route.default else route.path


STEPS = (
    Step(_path(routes.KAART)),
    Step(_path(routes.KAART), "Niveau"),
    Step(_path(routes.KAART), "Maat"),
    Step(_path(routes.TRENDS)),
    Step(_path(routes.TRENDS), "Maanden"),
    Step(_path(routes.TRENDS), "Per"),
    Step(_path(routes.OVERZICHT)),
    Step(_path(routes.WIJKPROFIEL)),
    Step(_path(routes.WIJKPROFIEL), "Gebied"),
)
OPENS = tuple(index for index, step in enumerate(STEPS) if step.widget is None)


@dataclass(frozen=True)
class Sample:
    user: int
    step: str
    seconds: float  # from sending the action to its finished script run
    failure: str | None  # why the action failed; None: it finished
    address: str = ""  # the query string the run left (what the browser's address bar shows)


@dataclass
class User:
    """User `number` on the server at `url` until `deadline` (time.monotonic()); an action begun
    before the deadline is finished. `think`: the mean pause between actions, in seconds."""

    number: int
    url: str
    deadline: float
    think: float
    samples: list[Sample]

    async def run(self) -> None:
        pause, position = random.Random(self.number), OPENS[self.number % len(OPENS)]
        while time.monotonic() < self.deadline:
            session = Session(self.url)
            try:
                await session.connect()
            except (OSError, WebSocketException, TimeoutError) as error:
                self.samples.append(Sample(self.number, "connect", float("nan"), f"connect: {error}"))
                await asyncio.sleep(self.think)
                continue
            try:
                position = await self._steps(session, position, pause)
            finally:
                await session.close()

    async def _steps(self, session: Session, position: int, pause: random.Random) -> int:
        """Steps on one connection until the deadline or a failure; the position to go on from."""
        while time.monotonic() < self.deadline:
            step = STEPS[position]
            try:
                seconds, _ = await (session.change(step.widget) if step.widget else session.open(step.page))
            except FailedError as failure:
                self.samples.append(Sample(self.number, step.name, float("nan"), str(failure)))
                return next((index for index in OPENS if index > position), OPENS[0])
            self.samples.append(Sample(self.number, step.name, seconds, None, session.query_string))
            position = (position + 1) % len(STEPS)
            await asyncio.sleep(self.think * 2 * pause.random())
        return position
