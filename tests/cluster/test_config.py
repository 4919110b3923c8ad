"""cluster.yaml: the example is valid; a bad file is refused with one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.cluster.config import ConfigError, load, parse

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path("/somewhere/cluster.yaml")


def refusal(raw: object) -> str:
    with pytest.raises(ConfigError) as info:
        parse(raw, SOURCE)
    return str(info.value)


def test_the_example_at_the_top_level_is_the_documented_default_cluster() -> None:
    config = load(ROOT / "cluster.yaml")
    assert (config.gateway_port, config.auth, config.store) == (8080, "off", None)
    assert [(i.name, i.port) for i in config.instances] == [
        ("broker-1", 8101), ("broker-2", 8102), ("datafeed-1", 8201), ("datafeed-2", 8202)]
    assert config.state_dir == ROOT / ".local"
    assert config.env == {"LOG_LEVEL": "INFO"}


def test_yaml_off_and_a_quoted_off_are_both_auth_off() -> None:
    assert parse(yaml.safe_load("auth: off"), SOURCE).auth == "off"
    assert parse({"auth": "OFF"}, SOURCE).auth == "off"


@pytest.mark.parametrize(("raw", "line"), [
    ({"gateway": {"prot": 80}}, "cluster.yaml: gateway.prot: unknown key (known: host, port, read_timeout_s)"),
    ({"brokers": 2}, "cluster.yaml: brokers: unknown key"),
    ({"broker": {"instances": "two"}}, "cluster.yaml: broker.instances: must be an integer from 0 to 64, not 'two'"),
    ({"gateway": {"port": 70000}}, "cluster.yaml: gateway.port: must be a TCP port from 1 to 65535, not 70000"),
    ({"gateway": {"read_timeout_s": 10}}, "cluster.yaml: gateway.read_timeout_s: must exceed the WebSocket heartbeat"),
    ({"auth": "maybe"}, "cluster.yaml: auth: must be one of off, required, not 'maybe'"),
    ({"store": "sqlite:///tmp/b.sqlite3"}, "cluster.yaml: store: 2 broker instances need a shared PostgreSQL store"),
    ({"store": "memory:"}, "cluster.yaml: store: memory: keeps nothing"),
    ({"store": "mysql://x"}, "cluster.yaml: store: must be postgresql://"),
    ({"datafeed": {"base_port": 8102}},
     "cluster.yaml: datafeed.base_port: datafeed-1's port 8102 is also broker.base_port's"),
    ({"env": {"STORE_URL": "memory:"}}, "cluster.yaml: env.STORE_URL: is set by the cluster manager"),
    ({"env": {"log_level": "x"}}, "cluster.yaml: env.log_level: must be an upper-case setting name"),
    ({"broker": {"instances": 0}, "datafeed": {"instances": 0}}, "cluster.yaml: broker.instances: the cluster needs"),
    ([1, 2], "cluster.yaml: (top level): must be a mapping, not list"),
])
def test_a_bad_file_is_refused_naming_the_key(raw: object, line: str) -> None:
    assert refusal(raw).startswith(line)


def test_sqlite_is_accepted_with_one_broker_instance() -> None:
    config = parse({"store": "sqlite:///tmp/b.sqlite3", "broker": {"instances": 1}}, SOURCE)
    assert config.store == "sqlite:///tmp/b.sqlite3" and not config.local_postgres


def test_an_unreadable_or_broken_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing.yaml: cannot read: No such file"):
        load(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("gateway:\n  port: [\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: not valid YAML \(line 3\)"):
        load(broken)
