"""db/outage.py: which failures are the database being away (503) and which are ours (500)."""

import asyncpg
from claimledger_server.db.outage import _lost_connection_behind


def raised_while_handling(first: Exception, then: Exception) -> Exception:
    try:
        try:
            raise first
        except Exception:
            raise then  # noqa: B904 - chained implicitly, as asyncpg's __aexit__ does
    except Exception as exc:
        return exc


def test_an_interface_error_left_by_a_terminated_connection_is_an_outage() -> None:
    lost = asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
    lost.__cause__ = asyncpg.AdminShutdownError("terminating connection")
    closing = asyncpg.InterfaceError("cannot call Transaction.__aexit__(): connection is closed")
    assert _lost_connection_behind(raised_while_handling(lost, closing))


def test_an_interface_error_on_its_own_is_a_bug() -> None:
    assert not _lost_connection_behind(asyncpg.InterfaceError("cannot use a closed pool"))
    assert not _lost_connection_behind(
        raised_while_handling(ValueError("ours"), asyncpg.InterfaceError("misuse"))
    )
