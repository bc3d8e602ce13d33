"""The service's background casework: the monitor every so often (`uflpa serve --monitor-every
MINUTES [--monitor-from SOURCE]`) and the delivery of pending alerts every minute, so that a
webhook that was down gets its alerts when it is back.

Every uvicorn worker runs the loop; the monitor's lock lets one run at a time (the others find
it taken and skip the turn) and a delivery is claimed before it is sent, so nothing is sent twice.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Engine

from uflpa.casework.actors import ADMIN, Actor
from uflpa.casework.monitor import run_monitor
from uflpa.casework.outbox import deliver_due
from uflpa.errors import ConflictError, UflpaError
from uflpa.service.config import ServiceConfig

log = logging.getLogger("uflpa.service.background")

#: Seconds between two delivery rounds.
DELIVERY_EVERY = 60.0
MONITOR_ACTOR = Actor("monitor", ADMIN)


class Background:
    """A daemon thread, stopped with the app."""

    def __init__(self, config: ServiceConfig, engine: Engine) -> None:
        self._config = config
        self._engine = engine
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="uflpa-casework", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        every = self._config.monitor_every_minutes * 60.0
        next_monitor = time.monotonic() + every if every else None
        while not self._stop.wait(DELIVERY_EVERY if not every else min(DELIVERY_EVERY, every)):
            if next_monitor is not None and time.monotonic() >= next_monitor:
                next_monitor = time.monotonic() + every
                self._monitor()
            self._deliver()

    def _monitor(self) -> None:
        try:
            result = run_monitor(
                self._engine,
                MONITOR_ACTOR,
                settings=self._config.settings,
                source_ref=self._config.monitor_from,
            )
        except ConflictError:
            log.info("monitor: another process is running it; skipped this turn")
            return
        except UflpaError as exc:
            log.warning("monitor run failed: %s", exc)
            return
        except Exception:
            log.exception("monitor run failed")
            return
        log.info(
            "monitor run %d: %d re-screened, %d alerts",
            result.run_id,
            result.rescreened,
            len(result.alerts),
        )

    def _deliver(self) -> None:
        try:
            counts = deliver_due(self._engine)
        except Exception:
            log.exception("delivering alerts failed")
            return
        if counts["delivered"] or counts["retrying"] or counts["failed"]:
            log.info("deliveries: %s", counts)
