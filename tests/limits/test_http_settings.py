"""The HTTP budget settings (README "Limits"): read from the environment, refused when unsafe."""

from __future__ import annotations

import resource

import pytest

from app.http.server import FD_RESERVE, ConnectionBudget, effective_connection_cap
from app.settings import Settings


def test_the_http_budgets_are_read_from_the_environment() -> None:
    settings = Settings.from_env({"STORE_URL": "memory:", "HTTP_HEADER_TIMEOUT_S": "5", "HTTP_BODY_TIMEOUT_S": "12.5",
                                  "HTTP_MAX_CONNECTIONS": "300", "HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0"})
    assert (settings.http_header_timeout_s, settings.http_body_timeout_s) == (5.0, 12.5)
    assert (settings.http_max_connections, settings.http_max_connections_per_address) == (300, 0)


def test_the_defaults_are_the_documented_ones() -> None:
    s = Settings()
    assert (s.http_header_timeout_s, s.http_body_timeout_s, s.http_max_connections,
            s.http_max_connections_per_address, s.max_order_qty) == (15.0, 30.0, 1000, 100, 1e7)


@pytest.mark.parametrize("changes, message", [
    ({"http_header_timeout_s": 0.0}, "HTTP_HEADER_TIMEOUT_S must be positive"),
    ({"http_body_timeout_s": -1.0}, "HTTP_BODY_TIMEOUT_S must be positive"),
    ({"http_max_connections": 0}, "HTTP_MAX_CONNECTIONS must be at least 1"),
    ({"http_max_connections_per_address": -1}, "HTTP_MAX_CONNECTIONS_PER_ADDRESS must be 0"),
])
def test_unsafe_budgets_are_refused_by_name(changes: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings(**changes)  # type: ignore[arg-type]


def test_a_non_number_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="HTTP_MAX_CONNECTIONS must be an integer"):
        Settings.from_env({"STORE_URL": "memory:", "HTTP_MAX_CONNECTIONS": "many"})


def test_the_connection_cap_stays_under_the_open_file_limit() -> None:
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert effective_connection_cap(10) == 10
    assert effective_connection_cap(10**9) <= resource.getrlimit(resource.RLIMIT_NOFILE)[0] - FD_RESERVE
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= soft


def test_the_budget_counts_per_address_and_frees_on_release() -> None:
    budget = ConnectionBudget(total=3, per_address=2)
    assert [budget.admit("a"), budget.admit("a"), budget.admit("a")] == [True, True, False]
    assert [budget.admit("b"), budget.admit("c")] == [True, False], "the total cap"
    budget.release("a")
    assert budget.admit("c") and budget.refused == 2
    assert (budget.open, budget.per_address) == (3, 2)
