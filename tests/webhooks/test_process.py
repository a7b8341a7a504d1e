"""How workers are started: inside the API process (as `serve` does) or not, and the
settings that shape them."""

from typing import Any

import asyncpg
import pytest
from claimledger_server.cli import parser
from claimledger_server.config import Settings, WebhookSettings
from standardwebhooks.webhooks import Webhook
from webhook_helpers import admin_client, eventually
from webhook_receiver import Receiver


async def test_the_api_process_delivers_by_itself(
    wh_dsn: str, wh_keys: dict[str, str], wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    await wh_pool.execute("DELETE FROM webhook_endpoints")
    async with admin_client(
        wh_dsn, wh_keys, api_key_cache_seconds=0, webhooks={"worker": True}
    ) as client:
        hook = (await client.post("/v1/webhooks", json={"url": receiver.url})).json()
        actor = (await client.post("/v1/actors", json={"name": "in-process"})).json()
        await eventually(lambda: len(receiver.delivered()) >= 1)
    (request,) = receiver.requests
    payload: dict[str, Any] = Webhook(hook["secret"]).verify(request.body, request.headers)
    assert payload["data"]["resource_id"] == actor["id"]


def test_webhook_settings_from_the_environment() -> None:
    webhooks = Settings.from_env(
        {
            "CLAIMLEDGER_WEBHOOK_WORKER": "false",
            "CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE": "true",
            "CLAIMLEDGER_WEBHOOK_TIMEOUT_SECONDS": "2.5",
            "CLAIMLEDGER_WEBHOOK_RETRY_SCHEDULE": "0, 0.01,0.02",
            "CLAIMLEDGER_WEBHOOK_DISABLE_AFTER_SECONDS": "60",
            "CLAIMLEDGER_WEBHOOK_CONCURRENCY": "3",
            "CLAIMLEDGER_WEBHOOK_POLL_SECONDS": "0.5",
        }
    ).webhooks
    assert webhooks == WebhookSettings(
        worker=False,
        allow_private=True,
        timeout_seconds=2.5,
        retry_schedule=(0, 0.01, 0.02),
        disable_after_seconds=60,
        concurrency=3,
        poll_seconds=0.5,
    )
    defaults = Settings.from_env({}).webhooks
    assert defaults == WebhookSettings()
    assert defaults.retry_schedule == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
    assert (defaults.worker, defaults.allow_private, defaults.timeout_seconds) == (True, False, 15)
    assert defaults.disable_after_seconds == 5 * 24 * 3600
    for bad in (
        {"CLAIMLEDGER_WEBHOOK_WORKER": "maybe"},
        {"CLAIMLEDGER_WEBHOOK_RETRY_SCHEDULE": "0,5m"},
        {"CLAIMLEDGER_WEBHOOK_RETRY_SCHEDULE": "0,-5"},
    ):
        with pytest.raises(SystemExit):
            Settings.from_env(bad)


def test_the_cli_has_a_worker_and_serve_can_leave_it_out() -> None:
    assert parser().parse_args(["serve", "--no-worker"]).no_worker is True
    assert parser().parse_args(["serve"]).no_worker is False
    assert parser().parse_args(["worker"]).command == "worker"
