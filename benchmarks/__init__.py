"""casewatch's benchmark harness: ``.venv/bin/python -m benchmarks`` (see run.py); not part of the test suite."""
