"""Benchmarks (`make bench`), run as scripts: `python tests/bench/bench_board.py`."""
