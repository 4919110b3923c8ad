"""The detached supervisor ``up`` leaves running: it restarts what died, never what is merely unready.

Every ``TICK_S`` it looks at each process of the cluster (PID file and ``/proc``, not the
health endpoint: a 503 from ``/health`` means the store or the matching loop is failing, which a
restart would not mend and would turn into an outage) and starts again the ones that are gone,
so a dead instance serves again within a few seconds. An instance that keeps dying right after
its start is retried with a growing delay (up to ``MAX_BACKOFF_S``), not in a hot loop.
A restarted broker instance takes back the accounts the gateway's ring gives it on its own (it
asks the instance that served them meanwhile to release them): nothing else is restarted.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field

from app.cluster import processes
from app.cluster.config import ClusterConfig
from app.cluster.manager import gateway_spec, instance_spec, store_url
from app.cluster.postgres import LocalPostgres, PostgresError
from app.cluster.processes import Spec

TICK_S = 1.0
QUICK_DEATH_S = 10.0
MAX_BACKOFF_S = 30.0


def say(message: str) -> None:
    print(f"{time.strftime('%Y-%m-%dT%H:%M:%S%z')} {message}", flush=True)


@dataclass
class _Watch:
    spec: Spec
    started_at: float = 0.0
    backoff: float = 0.0
    next_try: float = 0.0
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)


class Supervisor:
    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        store = store_url(config)
        specs = [instance_spec(config, i, store) for i in config.instances] + [gateway_spec(config)]
        self.watches = [_Watch(spec) for spec in specs]

    def run(self) -> None:
        say(f"supervising {len(self.watches)} processes of {self.config.path}")
        while True:
            self.tick()
            time.sleep(TICK_S)

    def tick(self) -> None:
        if self.config.local_postgres:
            self._keep_postgres()
        now = time.monotonic()
        for watch in self.watches:
            for child in list(watch.children):
                if child.poll() is not None:  # reap what we started
                    watch.children.remove(child)
            if processes.running(watch.spec) is not None or now < watch.next_try:
                continue
            self._restart(watch, now)

    def _restart(self, watch: _Watch, now: float) -> None:
        quick = watch.started_at and now - watch.started_at < QUICK_DEATH_S
        watch.backoff = min(MAX_BACKOFF_S, max(1.0, watch.backoff * 2)) if quick else 0.0
        say(f"{watch.spec.name}: not running; starting it again"
            + (f" (it died {now - watch.started_at:.1f} s after its start)" if quick else ""))
        proc = processes.start(watch.spec)
        watch.children.append(proc)
        watch.started_at = now
        watch.next_try = now + watch.backoff

    def _keep_postgres(self) -> None:
        pg = LocalPostgres(self.config)
        if pg.pid() is not None:
            return
        say("postgres: not running; starting it again")
        try:
            pg.start()
        except PostgresError as exc:
            say(f"postgres: {exc}")


def supervise(config: ClusterConfig) -> int:
    try:
        Supervisor(config).run()
    except KeyboardInterrupt:
        pass
    return 0
