"""Apps on fresh databases, for the bulk tests."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest
from bulk_dataset import build_dataset
from bulk_instances import Instance, NewInstance, instance


@pytest.fixture
async def new_instance(server_dsn: str) -> AsyncIterator[NewInstance]:
    """`await new_instance(**settings)`: an app on a new, migrated, empty database, dropped
    when the test ends."""
    async with AsyncExitStack() as stack:

        async def make(**settings: Any) -> Instance:
            return await stack.enter_async_context(instance(server_dsn, **settings))

        yield make


@pytest.fixture(scope="module")
async def populated(server_dsn: str) -> AsyncIterator[tuple[Instance, dict[str, Any]]]:
    """An app whose database holds `build_dataset`, shared by the tests that only read it
    (or import into it what changes nothing)."""
    async with instance(server_dsn) as source:
        yield source, await build_dataset(source.client)
