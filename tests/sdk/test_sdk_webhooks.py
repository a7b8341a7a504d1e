"""`claimledger.webhooks.verify`: Standard Webhooks verification, on the spec's test vector."""

import pytest
from claimledger import webhooks
from claimledger.webhooks import WebhookVerificationError

# The published Standard Webhooks test vector.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze time at the vector's timestamp."""
    monkeypatch.setattr(webhooks, "_now", lambda: float(TIMESTAMP))


def headers(signature: str = SIGNATURE, timestamp: int = TIMESTAMP) -> dict[str, str]:
    return {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


def test_the_spec_vector_verifies() -> None:
    assert webhooks.verify(BODY, headers(), SECRET) == {"test": 2432232314}
    assert webhooks.verify(BODY.decode(), headers(), SECRET) == {"test": 2432232314}


def test_sign_reproduces_the_spec_vector() -> None:
    assert webhooks.sign(MSG_ID, TIMESTAMP, BODY, SECRET) == SIGNATURE


def test_header_names_are_case_insensitive() -> None:
    mixed = {key.title(): value for key, value in headers().items()}
    assert webhooks.verify(BODY, mixed, SECRET) == {"test": 2432232314}


def test_one_matching_signature_among_several_is_enough() -> None:
    rotated = f"v1,bm90IHRoZSBzaWduYXR1cmU= v2,whatever {SIGNATURE}"
    assert webhooks.verify(BODY, headers(rotated), SECRET) == {"test": 2432232314}


def test_a_secret_without_the_prefix_works() -> None:
    bare = SECRET.removeprefix("whsec_")
    assert webhooks.verify(BODY, headers(), bare) == {"test": 2432232314}


@pytest.mark.parametrize(
    "tampered",
    [
        pytest.param((b'{"test": 2432232315}', headers(), SECRET), id="body"),
        pytest.param((BODY, {**headers(), "webhook-id": "msg_other"}, SECRET), id="id"),
        pytest.param((BODY, headers("v1,Zm9v"), SECRET), id="signature"),
        pytest.param((BODY, headers(SIGNATURE.replace("v1,", "v2,")), SECRET), id="scheme"),
        pytest.param((BODY, headers(), "whsec_" + "A" * 32), id="secret"),
    ],
)
def test_anything_tampered_is_refused(tampered: tuple[bytes, dict[str, str], str]) -> None:
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(*tampered)


def test_timestamps_outside_five_minutes_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    for now, ok in [(TIMESTAMP + 300, True), (TIMESTAMP - 300, True)]:
        monkeypatch.setattr(webhooks, "_now", lambda now=now: float(now))
        assert bool(webhooks.verify(BODY, headers(), SECRET)) is ok
    for now, message in [(TIMESTAMP + 301, "too old"), (TIMESTAMP - 301, "in the future")]:
        monkeypatch.setattr(webhooks, "_now", lambda now=now: float(now))
        with pytest.raises(WebhookVerificationError, match=message):
            webhooks.verify(BODY, headers(), SECRET)


def test_a_signed_but_stale_delivery_is_refused_even_when_resigned() -> None:
    old = TIMESTAMP - 3600
    signature = webhooks.sign(MSG_ID, old, BODY, SECRET)
    with pytest.raises(WebhookVerificationError, match="too old"):
        webhooks.verify(BODY, headers(signature, old), SECRET)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_headers_are_refused(missing: str) -> None:
    incomplete = {k: v for k, v in headers().items() if k != missing}
    with pytest.raises(WebhookVerificationError, match="missing"):
        webhooks.verify(BODY, incomplete, SECRET)


def test_malformed_timestamp_and_secret_are_refused() -> None:
    with pytest.raises(WebhookVerificationError, match="timestamp"):
        webhooks.verify(BODY, {**headers(), "webhook-timestamp": "soon"}, SECRET)
    with pytest.raises(WebhookVerificationError, match="secret"):
        webhooks.verify(BODY, headers(), "whsec_not base64!")


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = webhooks.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(webhooks.hmac, "compare_digest", spy)
    webhooks.verify(BODY, headers(), SECRET)
    assert compared
