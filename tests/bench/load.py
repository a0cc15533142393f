"""A real load generator (wrk) and the CPU a set of processes spent (from /proc), for benchmarks.

Standard library only, so both `python tests/bench/bench_board.py` (which imports it as `load`)
and the suite (as `tests.bench.load`) can use it without Django.
"""

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

WRK_MISSING = (
    "wrk is not installed. `make bench` installs it (Debian's wrk package, through "
    "scripts/provision_test_env.sh with PROVISION_WRK=1); elsewhere install wrk and rerun."
)
WRK_TIMEOUT_S = 10
# Beyond the run itself: wrk's start, its last replies and its report.
WRK_GRACE_S = 30
# A sync gunicorn worker closes the connection after each response. wrk reconnects without
# complaint when the response says "Connection: close", but a close that races its next
# request counts as a read error: a few of those are no fault, many are a failing server.
TOLERATED_READ_ERRORS_SHARE = 0.01
IDLE_POLL_S = 0.05
IDLE_TIMEOUT_S = 3.0

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run reports; latencies in milliseconds."""

    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: dict[str, int]

    def problems(self) -> list[str]:
        """Answers that are not a page, and socket errors beyond a sync worker's closes."""
        found = []
        if self.non_2xx_3xx:
            found.append(f"{self.non_2xx_3xx} non-2xx/3xx responses")
        tolerated = {"read": int(self.requests * TOLERATED_READ_ERRORS_SHARE)}
        found += [
            f"{count} socket {kind} errors"
            for kind, count in self.socket_errors.items()
            if count > tolerated.get(kind, 0)
        ]
        return found


def _ms(number: str, unit: str) -> float:
    return float(number) * _UNIT_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    """The figures of `wrk --latency` output; ValueError when a figure is missing."""

    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"wrk output has no {pattern!r}:\n{output}")
        return match

    total = find(rf"^\s*(\d+) requests in {_DURATION},")
    p50 = find(rf"^\s*50(?:\.0+)?%\s+{_DURATION}\s*$")
    p99 = find(rf"^\s*99(?:\.0+)?%\s+{_DURATION}\s*$")
    non_2xx = re.search(r"^\s*Non-2xx or 3xx responses: (\d+)", output, re.MULTILINE)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(total[1]),
        seconds=_ms(total[2], total[3]) / 1000,
        requests_per_s=float(find(r"^Requests/sec:\s+([\d.]+)")[1]),
        p50_ms=_ms(p50[1], p50[2]),
        p99_ms=_ms(p99[1], p99[2]),
        non_2xx_3xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=dict(
            zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)
        )
        if errors
        else {},
    )


def wrk_path() -> str:
    """Where wrk is; RuntimeError saying how to get it when it is not installed."""
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError(WRK_MISSING)
    return path


def run_wrk(
    url: str,
    *,
    seconds: int,
    headers: dict[str, str] | None = None,
    threads: int = 1,
    connections: int = 8,
) -> tuple[WrkResult, str]:
    """One wrk run with its latency distribution: (the figures, wrk's own output)."""
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT_S}s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        timeout=seconds + WRK_GRACE_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout), done.stdout


# --- CPU time from /proc --------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat from field 3 (state) on; the name in field 2 may hold spaces."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def cpu_ticks(pid: int) -> int:
    """Clock ticks the process has spent on a CPU so far, in user and kernel mode."""
    fields = _stat_fields(pid)
    return int(fields[11]) + int(fields[12])  # utime and stime: fields 14 and 15


def ticks_to_ms(ticks: int) -> float:
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> list[int]:
    """The live processes whose parent is pid (gunicorn's workers, for its master)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(_stat_fields(int(entry.name))[1])
            except (FileNotFoundError, ProcessLookupError):
                continue  # ended while we looked
            if parent == pid:
                children.append(int(entry.name))
    return sorted(children)


def ticks_of(pids) -> dict[int, int]:
    """{pid: cpu_ticks} of each process; FileNotFoundError when one has ended."""
    return {pid: cpu_ticks(pid) for pid in pids}


def cpu_ms_between(before: dict[int, int], after: dict[int, int]) -> float:
    """Milliseconds of CPU the processes spent between two `ticks_of` snapshots.

    A process that appeared meanwhile counts from zero. One that ended took its CPU time
    with it: RuntimeError, since the sum would be short.
    """
    ended = sorted(set(before) - set(after))
    if ended:
        raise RuntimeError(f"processes {ended} ended during the measurement")
    return ticks_to_ms(sum(ticks - before.get(pid, 0) for pid, ticks in after.items()))


def wait_until_idle(pids, *, timeout_s: float = IDLE_TIMEOUT_S) -> None:
    """Until the processes' CPU time stops growing: replies still queued when the load
    generator stopped are served before the snapshot after a run."""
    deadline = time.monotonic() + timeout_s
    last = ticks_of(pids)
    while time.monotonic() < deadline:
        time.sleep(IDLE_POLL_S * 2)
        now = ticks_of(pids)
        if now == last:
            return
        last = now
