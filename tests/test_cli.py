"""`claimledger` refuses bad input with one line naming the argument and exit code 2, before
it touches the database, never with a traceback."""

from pathlib import Path

import pytest
from claimledger_server.cli import main


def refusal(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    with pytest.raises(SystemExit) as ended:
        main(argv)
    assert ended.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        # The database column is an int4: this one ended in an asyncpg traceback.
        (["keys", "create", "--name", "n", "--rate-limit", "99999999999"], "--rate-limit"),
        (["keys", "create", "--name", "n", "--rate-limit", "0"], "--rate-limit"),
        (["keys", "create", "--name", "n", "--rate-limit", "1e3"], "--rate-limit"),
        (["keys", "create", "--name", "n", "--rate-limit", "-5"], "--rate-limit"),
        (["keys", "create", "--name", "n", "--scopes", "read,root"], "--scopes"),
        (["keys", "create", "--name", "n", "--scopes", ","], "--scopes"),
        (["keys", "create", "--name", "   "], "--name"),
        (["keys", "create", "--name", "tab\there"], "--name"),  # `keys list` is tab-separated
        (["keys", "create", "--name", "x" * 201], "--name"),
        (["keys", "create"], "--name"),
        (["serve", "--port", "70000"], "--port"),
        (["serve", "--port", "http"], "--port"),
        (["serve", "--workers", "0"], "--workers"),
        (["serve", "--workers", "100000"], "--workers"),
        (["serve", "--seeds", "/nonexistent/seeds"], "--seeds"),
        (["seed", "--seeds", "/nonexistent/seeds"], "--seeds"),
        (["serve", "--metrics-port", "0"], "--metrics-port"),
        (["serve", "--port", "9000", "--metrics-port", "9000"], "--metrics-port"),
        (["serve", "--log-format", "xml"], "--log-format"),
        (["worker", "--metrics-port", "http"], "--metrics-port"),
        (["worker", "--log-format", "yaml"], "--log-format"),
        (["keys", "rotate"], "keys_command"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    argv: list[str],
    named: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)  # were it reached, it would be this one
    message = refusal(capsys, argv)
    assert message.startswith("claimledger ")
    assert named in message


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CLAIMLEDGER_RATE_LIMIT_PER_MINUTE", "99999999999"),
        ("CLAIMLEDGER_RATE_LIMIT_PER_MINUTE", "1e400"),  # was int(inf): OverflowError
        ("CLAIMLEDGER_AUTH_FAILURES_PER_MINUTE", "-1"),
        ("CLAIMLEDGER_PORT", "65536"),
        ("CLAIMLEDGER_WORKERS", "nan"),  # was int(nan): ValueError
        ("CLAIMLEDGER_POOL_MAX_SIZE", "2.5"),
        ("CLAIMLEDGER_API_KEY_CACHE_SECONDS", "inf"),
        ("CLAIMLEDGER_WEBHOOK_CONCURRENCY", "inf"),
        ("CLAIMLEDGER_METRICS", "maybe"),
        ("CLAIMLEDGER_METRICS_PORT", "70000"),
        ("CLAIMLEDGER_WORKER_METRICS_PORT", "-1"),
        ("CLAIMLEDGER_LOG_FORMAT", "xml"),
        ("CLAIMLEDGER_ACCESS_LOG", "sometimes"),
    ],
)
def test_bad_settings_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    variable: str,
    value: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv(variable, value)
    assert main(["keys", "list"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"claimledger: {variable} must be")
    assert err.count("\n") == 1, err


def test_openapi_check_of_a_missing_file_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = str(tmp_path / "openapi.json")
    assert main(["openapi", "--check", "--output", missing]) == 1
    assert "is out of date" in capsys.readouterr().err
