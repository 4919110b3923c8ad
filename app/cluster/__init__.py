"""The cluster manager: ``python -m app cluster up|down|status|logs|restart [--config cluster.yaml]``.

Several server processes behind an nginx gateway, described by one YAML file (``cluster.yaml``):
``config`` reads and checks it, ``nginx`` writes the gateway's configuration, ``processes``
starts and stops one process with its PID and log file, ``postgres`` runs a local PostgreSQL
when no store URL is given, ``supervisor`` restarts instances that died, ``manager`` puts them
together for the CLI (``cli``). Every runtime file lives under the state directory (``.local/``).
"""
