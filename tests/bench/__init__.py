"""`make bench` (python -m tests.bench): timings and sizes against targets, never pass or fail.

Timings belong here, not in the tests: a test asserts behaviour, a benchmark prints figures."""
