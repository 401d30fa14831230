"""The test browser has no way out (tests.support.browser.NO_OUTSIDE): a request to any address but
localhost and 127.0.0.1 fails, while the tests still see it in their request events. This
machine's own network address stands in for the outside world: to Chromium it is not loopback, and
a listener there receives any request that gets through, without anything leaving the machine."""

from __future__ import annotations

import socket

import pytest

from tests.support.listener import Listener

pytestmark = pytest.mark.browser

FETCH = """async (url) => { try { await fetch(url, {mode: 'no-cors'}); return true; }
                            catch (error) { return false; } }"""


def _own_network_address() -> str:
    """The address this machine would send from (a UDP socket connects without sending a packet)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only the route is looked up
        except OSError:
            pytest.skip("this machine has no network address besides loopback: nothing to leave by")
        return str(probe.getsockname()[0])


def test_a_request_out_of_the_test_browser_fails_and_is_seen(server, browser):
    listener = Listener(host=_own_network_address())
    url = f"http://{listener.address}/uit"
    try:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{server}/toegankelijkheid")
        reached = page.evaluate(FETCH, url)
        page.close()
    finally:
        listener.close()
    assert url in requests  # asked for, and seen by the test
    assert not reached and listener.hits == []  # but it never arrived
