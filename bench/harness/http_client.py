"""One HTTP request to a benchmarked server, standard library only: the checks and set-up
requests around the measured loads (the loads themselves are wrk's)."""

from __future__ import annotations

import urllib.error
import urllib.request


def http(
    method: str,
    url: str,
    key: str | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request, an error status included; with `key` as the
    bearer token and a JSON body's content type unless `headers` name one."""
    h = dict(headers or {})
    if key:
        h["Authorization"] = f"Bearer {key}"
    if body is not None and "Content-Type" not in h:
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 (loopback only)
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
