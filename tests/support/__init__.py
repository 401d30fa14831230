"""Helpers the tests share; no tests here (pytest collects only tests/test_*.py)."""
