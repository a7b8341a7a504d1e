"""Responses whose body is JSON already encoded: stored documents, kept answers."""

from typing import Any

from litestar import Response

JSON = "application/json"


def raw_json(body: bytes, status: int = 200) -> Response[Any]:
    """A response whose body is JSON we already have as bytes (documents are stored as JSON)."""
    return Response(body, status_code=status, media_type=JSON)
