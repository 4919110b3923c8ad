from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.market import SUPPORTED_RESOLUTIONS, Catalogue, SymbolSpec, default_catalogue, load_catalogue
from app.market.catalogue import catalogue_from_data

ORIGINAL_THREE = [
    {"name": "AAPL", "description": "Apple Inc.", "type": "stock", "exchange": "NASDAQ",
     "pricescale": 100, "base_price": 190.0, "volatility": 0.25, "base_volume": 1000},
    {"name": "GOOGL", "description": "Alphabet Inc. Class A", "type": "stock", "exchange": "NASDAQ",
     "pricescale": 100, "base_price": 165.0, "volatility": 0.25, "base_volume": 1000},
    {"name": "MSFT", "description": "Microsoft Corporation", "type": "stock", "exchange": "NASDAQ",
     "pricescale": 100, "base_price": 415.0, "volatility": 0.25, "base_volume": 1000},
]


@pytest.fixture(scope="module")
def three() -> Catalogue:
    return catalogue_from_data(ORIGINAL_THREE)


def names(specs: list[SymbolSpec]) -> list[str]:
    return [s.name for s in specs]


def test_builtin_catalogue_starts_with_the_original_three_in_order(catalogue: Catalogue) -> None:
    assert [s.name for s in catalogue.symbols[:3]] == ["AAPL", "GOOGL", "MSFT"]


def test_builtin_catalogue_has_stocks_a_forex_pair_and_a_crypto_pair(catalogue: Catalogue) -> None:
    assert len(catalogue.symbols) == 10
    assert catalogue.get("EURUSD").type == "forex"
    assert catalogue.get("EURUSD").pricescale == 100_000
    assert catalogue.get("BTCUSD").type == "crypto"
    assert all(s.session == "24x7" and s.timezone == "Etc/UTC" for s in catalogue.symbols)
    assert all(s.supported_resolutions == SUPPORTED_RESOLUTIONS for s in catalogue.symbols)


def test_get_needs_the_exact_canonical_name(catalogue: Catalogue) -> None:
    assert catalogue.get("MSFT").description == "Microsoft Corporation"
    with pytest.raises(KeyError):
        catalogue.get("msft")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("AAPL", "AAPL"), ("aapl", "AAPL"), ("gOoGl", "GOOGL"), ("NASDAQ:AAPL", None), ("ZZZ", None),
     ("", None), (" AAPL", None)],
)
def test_resolve_matches_name_or_ticker_case_insensitively_without_exchange_prefix(
    three: Catalogue, text: str, expected: str | None
) -> None:
    found = three.resolve(text)
    assert (found.name if found else None) == expected


def test_resolve_matches_the_ticker_too() -> None:
    cat = catalogue_from_data([{**ORIGINAL_THREE[0], "name": "Apple", "ticker": "AAPL.X"}])
    assert cat.resolve("aapl.x") is cat.symbols[0]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"user_input": "inc"}, ["AAPL", "GOOGL"]),
        ({"user_input": ""}, ["AAPL", "GOOGL", "MSFT"]),
        ({"user_input": "   "}, ["AAPL", "GOOGL", "MSFT"]),
        ({"user_input": " MSF "}, ["MSFT"]),
        ({"user_input": "", "exchange": "nyse"}, []),
        ({"user_input": "", "exchange": "nasdaq"}, ["AAPL", "GOOGL", "MSFT"]),
        ({"user_input": "", "symbol_type": "STOCK"}, ["AAPL", "GOOGL", "MSFT"]),
        ({"user_input": "", "symbol_type": "crypto"}, []),
        ({"user_input": "", "max_results": 0}, []),
        ({"user_input": "", "max_results": 2}, ["AAPL", "GOOGL"]),
        ({"user_input": "", "max_results": -1}, ["AAPL", "GOOGL"]),
        ({"user_input": "alphabet"}, ["GOOGL"]),
    ],
)
def test_search_follows_contract_8_3(three: Catalogue, kwargs: dict[str, Any], expected: list[str]) -> None:
    assert names(three.search(**kwargs)) == expected


def test_search_by_type_finds_the_forex_and_crypto_pairs(catalogue: Catalogue) -> None:
    assert names(catalogue.search("", symbol_type="forex")) == ["EURUSD"]
    assert names(catalogue.search("usd", symbol_type="Crypto")) == ["BTCUSD"]


def test_tick_size_and_rounding(catalogue: Catalogue) -> None:
    aapl, eur = catalogue.get("AAPL"), catalogue.get("EURUSD")
    assert aapl.tick_size == 0.01
    assert eur.tick_size == 0.00001
    assert aapl.round_price(190.126) == 190.13
    assert eur.round_price(1.083337) == 1.08334


@pytest.mark.parametrize(
    ("price", "on_tick"),
    [(190.12, True), (0.1 + 0.2, True), (190.125, False), (190.0001, False), (float("nan"), False),
     (float("inf"), False), (0.0, True)],
)
def test_is_on_tick_tolerates_float_noise_only(catalogue: Catalogue, price: float, on_tick: bool) -> None:
    assert catalogue.get("AAPL").is_on_tick(price) is on_tick


@given(st.sampled_from(["AAPL", "EURUSD", "BTCUSD"]), st.floats(min_value=0.0, max_value=1e6))
def test_a_rounded_price_is_on_tick_and_within_half_a_tick(symbol: str, price: float) -> None:
    spec = default_catalogue().get(symbol)
    rounded = spec.round_price(price)
    assert spec.is_on_tick(rounded)
    assert abs(rounded - price) <= spec.tick_size / 2 * (1 + 1e-9) + 1e-9


@given(st.sampled_from(["AAPL", "EURUSD", "BTCUSD"]),
       st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(-10**9, 10**9).map(lambda ticks: ticks / 100 + 1e-12),
                 st.integers(0, 10**8).map(lambda ticks: ticks * 0.00001)))
def test_tick_price_is_the_rounded_price_of_an_on_tick_one_and_none_otherwise(symbol: str, price: float) -> None:
    spec = default_catalogue().get(symbol)
    expected = spec.round_price(price) if spec.is_on_tick(price) else None
    assert spec.tick_price(price) == expected


def test_load_catalogue_reads_json_with_defaults(tmp_path: Path) -> None:
    file = tmp_path / "symbols.json"
    file.write_text(json.dumps({"symbols": ORIGINAL_THREE[:1]}))
    (spec,) = load_catalogue(file).symbols
    assert (spec.ticker, spec.listed_exchange, spec.session, spec.minmov, spec.spread_ticks) == (
        "AAPL", "NASDAQ", "24x7", 1, 1
    )


def test_load_catalogue_reads_yaml(tmp_path: Path) -> None:
    file = tmp_path / "symbols.yaml"
    file.write_text(
        "- name: XYZ\n  description: Xyz Corp\n  type: stock\n  exchange: NYSE\n"
        "  pricescale: 100\n  base_price: 50\n  volatility: 0.2\n  base_volume: 10\n"
        "  supported_resolutions: ['1D']\n"
    )
    (spec,) = load_catalogue(file).symbols
    assert (spec.name, spec.base_price, spec.supported_resolutions) == ("XYZ", 50.0, ("1D",))


def test_default_catalogue_equals_loading_the_shipped_file() -> None:
    shipped = Path(__file__).parents[2] / "app" / "market" / "symbols.json"
    assert load_catalogue(shipped) == default_catalogue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not parseable"),
        ("[]", "non-empty list"),
        ('{"symbols": 3}', "non-empty list"),
        ("[1]", "expected an object"),
        (json.dumps([{**ORIGINAL_THREE[0], "colour": "red"}]), "unknown fields colour"),
        (json.dumps([{k: v for k, v in ORIGINAL_THREE[0].items() if k != "pricescale"}]),
         "missing fields pricescale"),
        (json.dumps([{**ORIGINAL_THREE[0], "pricescale": "100"}]), "pricescale must be of type int"),
        (json.dumps([{**ORIGINAL_THREE[0], "has_daily": 1}]), "has_daily must be of type bool"),
        (json.dumps([{**ORIGINAL_THREE[0], "base_price": -1}]), "base_price must be positive"),
        (json.dumps([{**ORIGINAL_THREE[0], "spread_ticks": 0}]), "spread_ticks must be at least 1"),
        (json.dumps([{**ORIGINAL_THREE[0], "supported_resolutions": ["3"]}]), "unsupported resolutions 3"),
        (json.dumps([ORIGINAL_THREE[0], ORIGINAL_THREE[0]]), "duplicate symbol names: AAPL"),
    ],
)
def test_load_catalogue_rejects_bad_content_with_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    file = tmp_path / "bad.json"
    file.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_catalogue(file)


def test_load_catalogue_rejects_other_extensions(tmp_path: Path) -> None:
    file = tmp_path / "symbols.txt"
    file.write_text("[]")
    with pytest.raises(ValueError, match=r"must be \.json, \.yaml or \.yml"):
        load_catalogue(file)
