"""The load generator of `make loadtest` (tests/bench/load) drives the served app at the protocol
level: a widget change it sends reaches the app, and every action of its users ends in a finished
script run, with a figure printed per level. Kept cheap (two levels of a few seconds against the
module's server); no timing is asserted."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.bench.load.__main__ import main
from tests.bench.load.protocol import Run, Session

pytestmark = pytest.mark.browser  # it serves the app (the `server` fixture)


def test_a_widget_change_sent_over_the_websocket_reruns_the_kaart_with_it(server):
    async def visit() -> tuple[Session, Run, Run]:
        session = Session(server)
        await session.connect()
        try:
            _, opened = await session.open("kaart")
            _, changed = await session.change("Niveau")
        finally:
            await session.close()
        return session, opened, changed

    session, opened, changed = asyncio.run(visit())
    assert opened.widgets["Niveau"].value == "wijk"
    assert "niveau=buurt" in session.query_string.split("&")  # the app put the new level in the address
    assert {"Niveau", "Maat", "Wat"} <= set(changed.widgets)  # the Kaart again, drawn in full
    assert not changed.exceptions


def test_every_action_of_the_load_finishes_and_each_level_prints_its_figure(server, capsys):
    ladders = main(["--url", server, "--sessions", "1,2", "--seconds", "3", "--think", "0.2", "--browsers", "0"])
    printed = capsys.readouterr().out

    [ladder] = ladders
    assert [level.sessions for level in ladder.levels] == [1, 2]
    for level in ladder.levels:
        assert level.samples
        assert not level.failures, level.failures
        assert {sample.user for sample in level.samples} == set(range(level.sessions))  # each user acted
        figure = rf"^\s+{level.sessions}\s+{len(level.samples)}\s+100\.0%\s+\d+\.\d\d s\s+\d+\.\d\d s"
        assert re.search(figure, printed, re.MULTILINE), printed
    assert "target 100% success at every level: met" in printed
