"""The generated gateway on the real nginx, in front of small echo servers standing for the
instances: which instance each request reaches, what it is told, what the gateway logs."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import ClientSession, web

from app.cluster import nginx, processes
from app.cluster.config import ClusterConfig
from app.cluster.manager import gateway_spec
from app.cluster.ring import Ring
from tests.cluster.conftest import free_run, require_nginx, service_dir
from tests.waiting import wait_until_async

BIG = 300 * 1024


async def _echo(request: web.Request) -> web.Response:
    body = await request.read()
    answer: dict[str, Any] = {"port": request.app["port"], "path": request.path,
                              "xff": request.headers.get("X-Forwarded-For"), "got": len(body)}
    if request.query.get("big"):
        answer["padding"] = "x" * BIG
    return web.json_response(answer)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    with service_dir() as path:
        yield path


@pytest.fixture
async def gateway(shared_tmp: Path, request: pytest.FixtureRequest) -> AsyncIterator[tuple[ClusterConfig, str]]:
    """A gateway for 3 brokers and 2 datafeeds of the given auth mode, all echo servers."""
    require_nginx()
    tmp_path = shared_tmp
    taken: set[int] = set()
    config = ClusterConfig(path=tmp_path / "cluster.yaml", state_dir=tmp_path / ".local", auth=request.param,
                           gateway_port=free_run(1, taken), broker_instances=3, broker_base_port=free_run(3, taken),
                           datafeed_instances=2, datafeed_base_port=free_run(2, taken))
    runners = []
    for instance in config.instances:
        app = web.Application(client_max_size=2 * BIG)
        app["port"] = instance.port
        app.router.add_route("*", "/{tail:.*}", _echo)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", instance.port).start()
        runners.append(runner)
    nginx.write(config)
    spec = gateway_spec(config)
    binary = spec.argv[0]
    check = subprocess.run([binary, "-t", *spec.argv[1:]], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    proc = processes.start(spec)
    try:
        async with ClientSession() as session:
            async def answers() -> bool:
                try:
                    async with session.get(f"{config.gateway_url}/api/v1/datafeed/health") as response:
                        return response.status == 200
                except OSError:
                    return False

            await wait_until_async(answers, timeout=20, interval=0.05, what="the gateway to answer")
        yield config, config.gateway_url
    finally:
        processes.stop(spec, 5)
        proc.wait(5)
        for runner in runners:
            await runner.cleanup()


async def _port(session: ClientSession, url: str, **kwargs: Any) -> int:
    async with session.get(url, **kwargs) as response:
        assert response.status == 200
        port: int = (await response.json())["port"]
        return port


@pytest.mark.parametrize("gateway", ["required"], indirect=True)
async def test_every_key_and_socket_of_an_account_reaches_one_broker_instance(
        gateway: tuple[ClusterConfig, str]) -> None:
    config, url = gateway
    async with ClientSession() as session:
        seen = {}
        for n in range(12):
            account = f"ACC-{n:02d}"
            by_header = {await _port(session, f"{url}/api/v1/broker/orders",
                                     headers={"Authorization": f"Bearer {account}.key{k}.secret{k}"}) for k in range(3)}
            by_token = await _port(session, f"{url}/api/v1/broker/ws?token={account}.key9.secret9")
            assert len(by_header) == 1 and by_token in by_header, account
            seen[account] = by_token
        brokers = {i.port for i in config.instances if i.module == "broker"}
        assert set(seen.values()) <= brokers and len(set(seen.values())) > 1, "accounts are spread over instances"
        ring = Ring([nginx.upstream_address(i) for i in config.instances if i.module == "broker"])
        assert {a: int(ring.pick(a).rpartition(":")[2]) for a in seen} == seen, \
            "each broker instance knows which accounts the gateway sends it (app/cluster/ring.py)"
    log = (config.state_dir / "logs" / "gateway-access.log").read_text()
    assert "/api/v1/broker/ws " in log and "token" not in log and "secret" not in log, "no query string logged"


@pytest.mark.parametrize("gateway", ["off"], indirect=True)
async def test_with_auth_off_every_broker_call_reaches_the_instance_the_manager_predicts(
        gateway: tuple[ClusterConfig, str]) -> None:
    config, url = gateway
    writer = nginx.broker_writer(config)
    assert writer is not None
    async with ClientSession() as session:
        ports = {await _port(session, f"{url}/api/v1/broker/orders", headers={"Authorization": f"Bearer A{n}.k.s"})
                 for n in range(5)}
        ports.add(await _port(session, f"{url}/api/v1/broker/ws?token=B.k.s"))
    assert ports == {writer.port}


@pytest.mark.parametrize("gateway", ["off"], indirect=True)
async def test_datafeed_and_site_round_robin_with_the_client_address_forwarded(
        gateway: tuple[ClusterConfig, str]) -> None:
    config, url = gateway
    feeds = {i.port for i in config.instances if i.module == "datafeed"}
    async with ClientSession() as session:
        assert {await _port(session, f"{url}/api/v1/datafeed/bars") for _ in range(4)} == feeds
        assert {await _port(session, f"{url}/terminal/") for _ in range(4)} == feeds
        async with session.get(f"{url}/api/v1/datafeed/config", headers={"X-Forwarded-For": "203.0.113.9"}) as r:
            assert (await r.json())["xff"] == "203.0.113.9, 127.0.0.1"
        async with session.get(f"{url}/metrics") as r:
            assert r.status == 404, "each instance's /metrics is scraped on its own port"


@pytest.mark.parametrize("gateway", ["off"], indirect=True)
async def test_large_bodies_go_through_the_temporary_files_the_worker_can_write(
        gateway: tuple[ClusterConfig, str]) -> None:
    _, url = gateway
    async with ClientSession() as session:
        async with session.post(f"{url}/api/v1/broker/orders?big=1", data=b"y" * BIG) as response:
            assert response.status == 200
            answer = orjson.loads(await response.read())
    assert answer["got"] == BIG and len(answer["padding"]) == BIG


def test_a_state_dir_the_workers_cannot_enter_is_refused_naming_it(shared_tmp: Path) -> None:
    if nginx.worker_user() is None:
        pytest.skip("only root hands nginx's workers to another user")
    tmp_path = shared_tmp / "closed"
    tmp_path.mkdir(mode=0o700)
    config = ClusterConfig(path=tmp_path / "cluster.yaml", state_dir=tmp_path / ".local")
    with pytest.raises(nginx.GatewayError, match=f"cannot enter {tmp_path} \\(mode 700\\)"):
        nginx.prepare_dirs(config)
