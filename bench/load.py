"""Load from wrk, a native HTTP load generator, for the HTTP benchmarks.

A load generator written in Python spends about as much CPU per request as
a Python server does, and on a two-core machine it shares the cores with the
server it measures: its own event loop then sets the latency and caps the
throughput. wrk (the Debian package ``wrk``) spends a few microseconds per
request, so what it measures is the server.

:func:`run_wrk` sends a fixed list of requests in turn over ``connections``
keep-alive connections (closed loop: each connection sends its next request
when the last is answered) for ``seconds``, and reads wrk's own summary
(latency percentiles from its histogram) back as JSON.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

#: wrk's Lua hooks: cycle through the requests of a file, print a JSON summary.
_SCRIPT = r"""
local requests = {}
for line in io.lines(os.getenv("MG_WRK_REQUESTS")) do
  local method, path, body = line:match("^(%u+)\t([^\t]*)\t?(.*)$")
  local headers = {}
  for name, value in os.getenv("MG_WRK_HEADERS"):gmatch("([^:\n]+): ([^\n]*)") do
    headers[name] = value
  end
  if body == "" then body = nil end
  requests[#requests + 1] = wrk.format(method, path, headers, body)
end
local next_one = 0
request = function()
  next_one = next_one % #requests + 1
  return requests[next_one]
end
done = function(summary, latency, _)
  io.write(string.format(
    '\nMG_WRK {"requests": %d, "microseconds": %d, "non_2xx": %d, "timeouts": %d, ' ..
    '"socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""


def wrk_path() -> str | None:
    """The wrk executable, or None when it is not installed."""
    return shutil.which("wrk")


def run_wrk(
    base: str,
    requests: list[tuple[str, str, str]],
    *,
    connections: int,
    seconds: float,
    headers: dict[str, str] | None = None,
) -> dict:
    """Send ``(method, path, body)`` requests to ``base`` in turn; returns the figures.

    Raises:
        RuntimeError: wrk is missing, or its output holds no summary.
    """
    exe = wrk_path()
    if exe is None:
        raise RuntimeError("wrk is not installed; apt-get install wrk, or use --load httpx")
    with tempfile.TemporaryDirectory(prefix="mg-wrk-") as folder:
        script, listing = Path(folder) / "cycle.lua", Path(folder) / "requests.tsv"
        script.write_text(_SCRIPT)
        listing.write_text("".join(f"{m}\t{p}\t{b}\n" for m, p, b in requests))
        # wrk.format sends only the headers it is given: name the host (HTTP/1.1 needs it).
        headers = {"Host": urlsplit(base).netloc, **(headers or {})}
        env = {
            "MG_WRK_REQUESTS": str(listing),
            "MG_WRK_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
            "PATH": "/usr/bin:/bin",
        }
        out = subprocess.run(
            [exe, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
             "-s", str(script), base],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
    line = next((x for x in out.stdout.splitlines() if x.startswith("MG_WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {out.stderr.strip() or out.stdout[-300:]}")
    raw = json.loads(line.removeprefix("MG_WRK "))
    elapsed = raw["microseconds"] / 1e6
    return {
        "requests": raw["requests"],
        "clients": connections,
        "seconds": round(elapsed, 3),
        "requests_per_s": round(raw["requests"] / elapsed, 1),
        "latency_ms": {
            name: round(raw[f"{name}_us"] / 1000, 2)
            for name in ("p50", "p90", "p99", "max", "mean")
        },
        "errors": {
            kind: raw[kind] for kind in ("non_2xx", "timeouts", "socket_errors") if raw[kind]
        },
        "load": "wrk",
    }
