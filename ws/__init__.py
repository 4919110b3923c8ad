"""WebSocket protocol: envelope, topics, subscription registry, fan-out hub.

A module describes its routes with ``Route`` and serves them through one ``Hub``.
"""

from .hub import Hub
from .route import ConflationKey, Kind, Payload, Producer, Publisher, Route, Snapshot
from .topic import canon, make_topic

__all__ = [
    "ConflationKey", "Hub", "Kind", "Payload", "Producer", "Publisher", "Route", "Snapshot",
    "canon", "make_topic",
]
