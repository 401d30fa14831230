"""`make loadtest` (`python -m tests.bench.load`): many sessions at once, at the protocol level.

Real browsers cost more CPU than the server on a 2-core machine, so the load is driven by Streamlit's
own websocket messages (`protocol`): each simulated user (`scenario`) opens pages and changes
widgets (the Kaart's Niveau and Maat, Trends' Maanden and Per, the Wijkprofiel's Gebied) with a
pause between actions, and every action is timed from sending it to its finished script run. A
level (`levels`) runs N users at once for a bounded time, spread round-robin over the replicas as
a proxy with session affinity would; the servers (`servers`: the app on a copy of the database,
one shared cookie secret) are started by the bench, or `--url` names running ones. Beside the
25-session level a few headless Chromium sessions do the same kind of actions (`browsers`).
Printed per level (`report`): success rate, median and p95 action-to-finished-run time, actions per
second and the servers' memory growth; then the targets of issue 19 and, with `--replicas 2`, how
many more sessions two replicas carry at p95 < 5 s. Nothing passes or fails; a crash is a crash.
"""
