"""`client.keys` against a live server: onboard a partner (the secret once), change what it
may do, revoke it — with the sync and the async client, typed end to end."""

import uuid

import claimledger
import pytest
from claimledger import models


def name() -> str:
    return f"SDK partner {uuid.uuid4().hex}"


def test_onboard_change_and_revoke_sync(sdk: claimledger.Client, sdk_server: str) -> None:
    made = sdk.keys.create(name=name(), scopes=["read"], rate_limit_per_minute=100)
    assert isinstance(made, models.ApiKeyWithSecret)
    assert made.secret.startswith("clk_")
    assert (made.prefix, made.scopes, made.version) == (made.secret[:10], ["read"], 1)
    with claimledger.Client(sdk_server, made.secret, max_retries=0) as partner:
        assert partner.actors.list(limit=1).first_page() is not None
        with pytest.raises(claimledger.Forbidden):
            partner.keys.list().first_page()

    fetched = sdk.keys.get(made.id)
    assert isinstance(fetched, models.ApiKey)
    assert not hasattr(fetched, "secret")
    assert made.id in [key.id for key in sdk.keys.list(revoked=False, limit=200)]

    changed = sdk.keys.update(made, scopes=["read", "write"], rate_limit_per_minute=None)
    assert (changed.version, changed.scopes, changed.rate_limit_per_minute) == (
        2,
        ["read", "write"],
        None,
    )
    with pytest.raises(claimledger.PreconditionFailed):
        sdk.keys.update(made, name="from a stale read")  # `made` is version 1
    with claimledger.Client(sdk_server, made.secret, max_retries=0) as partner:
        assert partner.actors.create(name="Written by a partner").version == 1

    revoked = sdk.keys.revoke(changed)
    assert revoked.revoked_at is not None
    assert made.id in [key.id for key in sdk.keys.list(revoked=True, limit=200)]
    with (
        claimledger.Client(sdk_server, made.secret, max_retries=0) as partner,
        pytest.raises(claimledger.Unauthorized),
    ):
        partner.actors.list(limit=1).first_page()
    with pytest.raises(claimledger.Conflict) as refused:
        sdk.keys.update(revoked.id, name="too late")
    assert refused.value.type.endswith("key-revoked")


def test_a_retried_create_is_a_conflict_not_the_secret_again_sync(sdk: claimledger.Client) -> None:
    body = {"name": name(), "scopes": ["read"]}
    retry = f"sdk-{uuid.uuid4().hex}"
    first = sdk.keys.create(name=body["name"], scopes=["read"], idempotency_key=retry)
    with pytest.raises(claimledger.Conflict) as again:
        sdk.keys.create(name=body["name"], scopes=["read"], idempotency_key=retry)
    assert again.value.type.endswith("secret-not-replayed")
    assert first.id in (again.value.detail or "")
    assert first.secret not in str(again.value)


async def test_onboard_change_and_revoke_async(async_sdk: claimledger.AsyncClient) -> None:
    made = await async_sdk.keys.create(name=name(), scopes=["write"])
    assert made.rate_limit_per_minute is None
    assert (await async_sdk.keys.get(made)).id == made.id
    assert made.id in [key.id async for key in async_sdk.keys.list(limit=200)]
    changed = await async_sdk.keys.update(made.id, {"rate_limit_per_minute": 50})
    assert (changed.version, changed.rate_limit_per_minute) == (2, 50)
    revoked = await async_sdk.keys.revoke(changed.id)
    assert (revoked.version, revoked.revoked_at is not None) == (3, True)
    assert (await async_sdk.keys.revoke(revoked)).version == 3  # again: nothing changes
