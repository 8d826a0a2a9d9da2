#!/usr/bin/env python3
"""Run N `sleep` tasks on a Mesos master through the v1 Scheduler HTTP API (JSON).

A small framework that behaves the way a careful production scheduler does, so it
works as an example and as a check of any master that serves the API (Apache Mesos or
kmesos). What it does, in order:

  1. SUBSCRIBE with its FrameworkInfo, following a 307 to the leading master, and read
     the RecordIO event stream as it arrives (records may be cut anywhere);
  2. send the Mesos-Stream-Id it was given on every other call;
  3. launch the pending tasks from OFFERS that fit them (ACCEPT with LAUNCH), DECLINE
     the offers it does not need, and SUPPRESS offers once every task is launched;
  4. ACKNOWLEDGE each UPDATE that carries a uuid (and none that do not), relaunching a
     task that failed, was lost or dropped up to --max-retries times (REVIVE first if
     offers were suppressed);
  5. on a closed stream or on silence for several heartbeat intervals, re-SUBSCRIBE with
     its framework ID (with backoff) and RECONCILE the tasks it believes are live;
  6. once every task has finished, TEARDOWN (unless --no-teardown) and exit 0.

Events and calls are logged on stderr, one line each; the last line on stdout is a JSON
summary: {"framework_id", "finished", "failed", "acknowledged", "updates"}.
Exit status: 0 every task finished; 1 a task failed for good, the master sent ERROR or
refused the subscription, or the framework gave up (--timeout, failover timeout
exceeded); 2 bad flags; 128 + the signal number when interrupted.

Python 3.10+, standard library only. `sleep_framework.py --help` lists the flags.
"""

import argparse
import base64
import binascii
import getpass
import http.client
import json
import logging
import os
import random
import signal
import socket
import ssl
import sys
import time
import urllib.parse
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, NoReturn

if sys.version_info < (3, 10):  # before the first `X | None` annotation is evaluated
    sys.exit("sleep_framework.py needs Python 3.10 or newer")

Json = dict[str, Any]

SCHEDULER_PATH = "/api/v1/scheduler"
DEFAULT_MASTER_PORT = 5050  # when --master names a bare host, as Mesos users write it
# Mesos' own default when SUBSCRIBED carries no heartbeat_interval_seconds.
DEFAULT_HEARTBEAT_SECONDS = 15.0
# The docs advise treating "a bunch (e.g., 5)" of missed heartbeats as a lost connection.
MISSED_HEARTBEATS = 5
# Longest wait for a call's response, and for SUBSCRIBED once the stream is open.
REQUEST_TIMEOUT = 30.0
# Exponential backoff between subscription attempts, capped as the docs recommend.
BACKOFF_MIN = 1.0
BACKOFF_MAX = 15.0
# A subscription that lived this long was healthy: the next reconnect starts the
# backoff over instead of growing it.
STABLE_SESSION_SECONDS = 10.0
MAX_REDIRECTS = 5
# A record length is a uint64 (20 digits at most); refuse absurd sizes rather than
# buffer them.
MAX_LENGTH_DIGITS = 20
MAX_RECORD_BYTES = 64 * 1024 * 1024
READ_SIZE = 64 * 1024
MAX_ERROR_BODY = 2048
# Decline filter while no task is pending: long, because REVIVE clears it when a task
# needs relaunching.
IDLE_REFUSE_SECONDS = 300.0
USER_AGENT = "kmesos-sleep-framework/1.0"

FINISHED = "TASK_FINISHED"
# Ends of an attempt that another attempt may fix. TASK_GONE is only sent to
# PARTITION_AWARE frameworks, but costs nothing to handle.
RELAUNCH_STATES = frozenset(
    {"TASK_FAILED", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE"}
)
# Ends decided by someone else (an operator killed the task): not retried.
FINAL_STATES = frozenset({"TASK_KILLED", "TASK_GONE_BY_OPERATOR"})
PENDING = "PENDING"  # not a Mesos state: the slot waits for an offer


class ConnectionLost(Exception):
    """The subscription ended or can no longer be trusted; re-subscribing may fix it."""


class ProtocolError(ConnectionLost):
    """The master sent something this framework cannot parse."""


class GiveUp(Exception):
    """A condition that re-subscribing cannot fix; the framework exits non-zero.

    `teardown` is False when the master has already closed the framework (ERROR), so
    a TEARDOWN call would only fail.
    """

    def __init__(self, message: str, teardown: bool = True) -> None:
        super().__init__(message)
        self.teardown = teardown


class Interrupted(BaseException):
    """SIGINT or SIGTERM. A BaseException, so that no `except Exception` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# --- RecordIO -----------------------------------------------------------------------


class RecordIODecoder:
    """Splits Mesos' RecordIO stream (`<length>\\n<length bytes>`...) into records.

    HTTP chunks and socket reads may cut the stream anywhere, even inside a length, so
    bytes are buffered until a whole record has arrived. The length must be ASCII
    digits: anything else means the stream is corrupt, not merely split.
    """

    def __init__(self, max_record_bytes: int = MAX_RECORD_BYTES) -> None:
        self._buffer = bytearray()
        self._size: int | None = None  # length of the record being read, once known
        self._max = max_record_bytes

    def feed(self, data: bytes) -> list[bytes]:
        """Adds bytes from the stream; returns the records they complete, in order."""
        self._buffer += data
        records: list[bytes] = []
        while True:
            if self._size is None:
                newline = self._buffer.find(b"\n")
                header = bytes(self._buffer if newline < 0 else self._buffer[:newline])
                if (header and not header.isdigit()) or len(header) > MAX_LENGTH_DIGITS:
                    raise ProtocolError(f"bad RecordIO length {header[:24]!r}")
                if newline < 0:
                    return records
                if not header:
                    raise ProtocolError("empty RecordIO length line")
                size = int(header)
                if size > self._max:
                    raise ProtocolError(f"RecordIO record of {size} bytes is too large")
                del self._buffer[: newline + 1]
                self._size = size
            if len(self._buffer) < self._size:
                return records
            records.append(bytes(self._buffer[: self._size]))
            del self._buffer[: self._size]
            self._size = None


# --- Masters and redirects ----------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """Where a master serves the scheduler API."""

    scheme: str
    host: str
    port: int
    path: str

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.path}"


def parse_label(text: str) -> tuple[str, str]:
    """Reads one --label KEY=VALUE."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise SystemExit(f"--label {text!r}: expected KEY=VALUE")
    return key, value


def parse_master(text: str) -> Endpoint:
    """Reads one --master value: a URL (`http://host:5050`) or a bare `host[:port]`.

    The scheduler path is appended unless the URL already ends with it, so a master
    behind a path prefix (`https://gw/mesos`) works too.
    """
    text = text.strip()
    bare = "://" not in text
    parts = urllib.parse.urlsplit(f"http://{text}" if bare else text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--master {text!r}: expected http[s]://host[:port][/path]")
    if parts.username is not None:
        raise ValueError(f"--master {text!r}: pass credentials with --principal/--secret")
    try:
        port = parts.port
    except ValueError as err:
        raise ValueError(f"--master {text!r}: {err}") from None
    if port is None:
        port = DEFAULT_MASTER_PORT if bare else (443 if parts.scheme == "https" else 80)
    path = parts.path.rstrip("/")
    if not path.endswith(SCHEDULER_PATH):
        path += SCHEDULER_PATH
    return Endpoint(parts.scheme, parts.hostname, port, path)


def resolve_redirect(current: Endpoint, location: str | None) -> Endpoint:
    """Where a 307 from a non-leading master points.

    Mesos answers with a protocol-relative `//host:port/api/v1/scheduler`, which keeps
    the current scheme; its docs also show a bare `host:port`. Absolute URLs are taken
    as they are.
    """
    location = (location or "").strip()
    if not location:
        raise ConnectionLost("307 redirect without a Location header")
    if not location.startswith(("/", "http://", "https://")):
        location = "//" + location
    parts = urllib.parse.urlsplit(urllib.parse.urljoin(current.url, location))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectionLost(f"cannot follow redirect to {location!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as err:
        raise ConnectionLost(f"cannot follow redirect to {location!r}: {err}") from None
    path = parts.path if parts.path not in ("", "/") else current.path
    return Endpoint(parts.scheme, parts.hostname, port, path)


# --- Small readers of Mesos JSON ----------------------------------------------------


def value_of(message: Any) -> str | None:
    """The `value` of an ID message such as {"value": "abc"}, or None."""
    if isinstance(message, dict):
        value = message.get("value")
        if isinstance(value, str):
            return value
    return None


def millis(amount: float) -> int:
    """Scalar resources as integer thousandths: Mesos keeps three decimals, and integers
    add up without floating-point drift."""
    return round(amount * 1000)


def scalar(resource: Json) -> float:
    """The scalar value of a resource; 0 for non-scalar or malformed entries."""
    try:
        return float(resource.get("scalar", {}).get("value", 0))
    except (TypeError, ValueError, AttributeError):
        return 0.0


def describe_uuid(encoded: str) -> str:
    """A status uuid (base64 in JSON) in its usual dashed form, for the logs only."""
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return repr(encoded)
    return str(uuid.UUID(bytes=raw)) if len(raw) == 16 else raw.hex()


def describe_resources(resources: list[Json]) -> str:
    """Scalar resources summed by name: `cpus 2 mem 1024 disk 4000`."""
    totals: dict[str, float] = {}
    for resource in resources:
        if resource.get("type") == "SCALAR":
            name = ("revocable " if "revocable" in resource else "") + str(resource.get("name"))
            totals[name] = totals.get(name, 0.0) + scalar(resource)
    return " ".join(f"{name} {amount:g}" for name, amount in totals.items()) or "nothing"


def describe_offer(offer: Json) -> str:
    """One offer in a log line: id, agent, hostname, resources and role."""
    role = (offer.get("allocation_info") or {}).get("role")
    return "{} on agent {} ({}): {}{}".format(
        value_of(offer.get("id")),
        value_of(offer.get("agent_id")),
        offer.get("hostname", "?"),
        describe_resources(offer.get("resources") or []),
        f" for role {role}" if role else "",
    )


def offer_ids(body: Json) -> str:
    return ", ".join(str(value_of(o)) for o in body.get("offer_ids", []))


def refuse(body: Json) -> str:
    seconds = (body.get("filters") or {}).get("refuse_seconds")
    return "no filter" if seconds is None else f"refuse {seconds:g}s"


def describe_call(call: Json) -> str:
    """A call in a log line, naming what a reader needs (offers, tasks, uuids)."""
    kind = call.get("type", "?")
    if kind == "SUBSCRIBE":
        info = call["subscribe"]["framework_info"]
        roles = info.get("roles") or [info.get("role", "*")]
        framework = value_of(info.get("id")) or "new"
        return f"SUBSCRIBE {info['name']!r} framework {framework} roles {','.join(roles)}"
    if kind == "ACCEPT":
        body = call["accept"]
        names = [
            value_of(task.get("task_id"))
            for operation in body.get("operations", [])
            for task in (operation.get("launch") or {}).get("task_infos", [])
        ]
        launch = ", ".join(map(str, names))
        return f"ACCEPT offer {offer_ids(body)}: LAUNCH {launch} ({refuse(body)})"
    if kind == "DECLINE":
        body = call["decline"]
        return f"DECLINE offer {offer_ids(body)} ({refuse(body)})"
    if kind == "ACKNOWLEDGE":
        body = call["acknowledge"]
        return "ACKNOWLEDGE {} on agent {} uuid {}".format(
            value_of(body.get("task_id")),
            value_of(body.get("agent_id")),
            describe_uuid(body.get("uuid", "")),
        )
    if kind == "RECONCILE":
        tasks = call["reconcile"].get("tasks", [])
        return "RECONCILE " + ", ".join(str(value_of(t.get("task_id"))) for t in tasks)
    return str(kind)


# --- The scheduler: events in, calls out --------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What the framework is asked to do, from the command line."""

    tasks: int
    sleep: float
    cpus: float
    mem: float
    name: str
    roles: tuple[str, ...]
    multi_role: bool
    user: str
    hostname: str
    principal: str | None
    failover_timeout: float
    max_retries: int
    refuse_seconds: float
    labels: tuple[tuple[str, str], ...] = ()


@dataclass
class TaskSlot:
    """One of the N tasks to finish. Each launch of it is an attempt with its own task
    ID, because Mesos task IDs must not be reused while the master remembers them."""

    index: int
    attempts: int = 0
    task_id: str | None = None  # the current attempt's; None while PENDING
    agent_id: str | None = None
    state: str = PENDING  # PENDING, or the last TaskState the master reported
    outcome: str | None = None  # "finished" or "failed" once it will not run again

    @property
    def live(self) -> bool:
        """Launched and not known to have ended: what RECONCILE asks about."""
        return self.task_id is not None and self.outcome is None

    def next_task_id(self) -> str:
        base = f"sleep-{self.index}"
        return base if self.attempts <= 1 else f"{base}-retry-{self.attempts - 1}"


@dataclass
class Scheduler:
    """The framework's decisions: which calls answer each event.

    It does no I/O, so the Mesos semantics can be read apart from HTTP: the driver feeds
    it events and sends the calls it returns.
    """

    settings: Settings
    log: logging.Logger
    framework_id: str | None = None
    suppressed: bool = False
    updates: int = 0
    acknowledged: int = 0
    slots: list[TaskSlot] = field(default_factory=list)
    _by_task_id: dict[str, TaskSlot] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.slots = [TaskSlot(i) for i in range(1, self.settings.tasks + 1)]

    # Progress.

    def pending(self) -> list[TaskSlot]:
        return [s for s in self.slots if s.state == PENDING and s.outcome is None]

    def count(self, outcome: str) -> int:
        return sum(1 for s in self.slots if s.outcome == outcome)

    @property
    def done(self) -> bool:
        return all(s.outcome is not None for s in self.slots)

    @property
    def succeeded(self) -> bool:
        return all(s.outcome == "finished" for s in self.slots)

    def progress(self) -> str:
        return f"{self.count('finished')}/{len(self.slots)} finished"

    def summary(self) -> Json:
        return {
            "framework_id": self.framework_id,
            "finished": self.count("finished"),
            "failed": self.count("failed"),
            "acknowledged": self.acknowledged,
            "updates": self.updates,
        }

    # Calls.

    def _call(self, kind: str, **body: Any) -> Json:
        call: Json = {"type": kind, "framework_id": {"value": self.framework_id}}
        call.update(body)
        return call

    def subscribe_call(self) -> Json:
        """SUBSCRIBE, with the framework ID once the master has given one (failover).

        When no task is pending the roles subscribe suppressed: a re-subscription sets
        the suppression state anew, so it must say what the framework wants.
        """
        s = self.settings
        info: Json = {
            "user": s.user,
            "name": s.name,
            "hostname": s.hostname,
            "failover_timeout": s.failover_timeout,
        }
        if s.multi_role:
            info["roles"] = list(s.roles)
            info["capabilities"] = [{"type": "MULTI_ROLE"}]
        else:
            info["role"] = s.roles[0]
        if s.principal:
            info["principal"] = s.principal
        subscribe: Json = {"framework_info": info}
        self.suppressed = not self.pending()
        if self.suppressed:
            subscribe["suppressed_roles"] = list(s.roles)
        call: Json = {"type": "SUBSCRIBE", "subscribe": subscribe}
        if self.framework_id:
            info["id"] = {"value": self.framework_id}
            call["framework_id"] = {"value": self.framework_id}
        return call

    def _want_offers(self) -> list[Json]:
        if not self.suppressed:
            return []
        self.suppressed = False
        return [self._call("REVIVE")]

    def _refuse_seconds(self) -> float:
        return self.settings.refuse_seconds if self.pending() else IDLE_REFUSE_SECONDS

    # Events.

    def subscribed(self, event: Json) -> list[Json]:
        """SUBSCRIBED: keep the framework ID; after a reconnect, reconcile live tasks."""
        body = event.get("subscribed") or {}
        framework_id = value_of(body.get("framework_id"))
        if not framework_id:
            raise ProtocolError("SUBSCRIBED without a framework_id")
        if self.framework_id and framework_id != self.framework_id:
            raise GiveUp(
                f"master subscribed us as framework {framework_id}, not {self.framework_id}"
            )
        again = self.framework_id is not None
        self.framework_id = framework_id
        self.log.info(
            "event SUBSCRIBED framework %s, heartbeat every %gs%s",
            framework_id,
            heartbeat_interval(event),
            " (re-subscribed)" if again else "",
        )
        live = [s for s in self.slots if s.live]
        if not live:
            return []
        tasks = [{"task_id": {"value": s.task_id}} for s in live]
        for task, slot in zip(tasks, live):
            if slot.agent_id:
                task["agent_id"] = {"value": slot.agent_id}
        return [self._call("RECONCILE", reconcile={"tasks": tasks})]

    def handle(self, event: Json) -> list[Json]:
        """Any event after SUBSCRIBED; returns the calls that answer it."""
        kind = event.get("type")
        handlers: dict[str, Callable[[Json], list[Json]]] = {
            "HEARTBEAT": self._on_heartbeat,
            "OFFERS": self._on_offers,
            "RESCIND": self._on_rescind,
            "UPDATE": self._on_update,
            "MESSAGE": self._on_message,
            "FAILURE": self._on_failure,
            "ERROR": self._on_error,
        }
        handler = handlers.get(str(kind))
        if handler is None:
            self.log.info("event %s (not used by this framework)", kind)
            return []
        return handler(event)

    def _on_heartbeat(self, event: Json) -> list[Json]:
        self.log.info("event HEARTBEAT")
        return []

    def _on_error(self, event: Json) -> NoReturn:
        message = (event.get("error") or {}).get("message", "no message")
        self.log.error("event ERROR %s", message)
        raise GiveUp(f"master sent ERROR: {message}", teardown=False)

    def _on_rescind(self, event: Json) -> list[Json]:
        # Offers are answered as soon as they arrive, so there is none to forget.
        offer = value_of((event.get("rescind") or {}).get("offer_id"))
        self.log.info("event RESCIND offer %s", offer)
        return []

    def _on_message(self, event: Json) -> list[Json]:
        body = event.get("message") or {}
        try:
            size = len(base64.b64decode(body.get("data", ""), validate=True))
        except (binascii.Error, ValueError):
            size = -1
        self.log.info(
            "event MESSAGE from executor %s on agent %s (%d bytes)",
            value_of(body.get("executor_id")),
            value_of(body.get("agent_id")),
            size,
        )
        return []

    def _on_failure(self, event: Json) -> list[Json]:
        # The tasks it concerns get their own UPDATEs; this is for the log only.
        body = event.get("failure") or {}
        executor = value_of(body.get("executor_id"))
        what = (
            f"executor {executor} ended (status {body.get('status')})" if executor
            else "agent lost"
        )
        self.log.warning("event FAILURE %s on agent %s", what, value_of(body.get("agent_id")))
        return []

    def _on_offers(self, event: Json) -> list[Json]:
        """Launch what fits, decline the rest, suppress once nothing is pending."""
        offers = (event.get("offers") or {}).get("offers") or []
        self.log.info(
            "event OFFERS %s", "; ".join(describe_offer(o) for o in offers) or "(none)"
        )
        launches: list[tuple[str, list[Json]]] = []
        declined: list[str] = []
        for offer in offers:
            offer_id = value_of(offer.get("id"))
            if offer_id is None:
                self.log.warning("offer without an id ignored")
                continue
            tasks = self._fit(offer)
            if tasks:
                launches.append((offer_id, tasks))
            else:
                declined.append(offer_id)
        # Filters are chosen after fitting: once nothing is pending, unused resources
        # are refused for long.
        filters = {"refuse_seconds": self._refuse_seconds()}
        calls = [
            self._call(
                "ACCEPT",
                accept={
                    "offer_ids": [{"value": offer_id}],
                    "operations": [{"type": "LAUNCH", "launch": {"task_infos": tasks}}],
                    "filters": filters,
                },
            )
            for offer_id, tasks in launches
        ]
        if declined:
            calls.append(
                self._call(
                    "DECLINE",
                    decline={
                        "offer_ids": [{"value": o} for o in declined],
                        "filters": filters,
                    },
                )
            )
        if not self.pending() and not self.suppressed:
            self.suppressed = True
            calls.append(self._call("SUPPRESS"))
        return calls

    def _fit(self, offer: Json) -> list[Json]:
        """TaskInfos for the pending slots this offer can hold, in slot order."""
        agent_id = value_of(offer.get("agent_id"))
        if agent_id is None:
            return []
        pools = offered_pools(offer)
        need = {"cpus": millis(self.settings.cpus), "mem": millis(self.settings.mem)}
        tasks: list[Json] = []
        for slot in self.pending():
            if any(sum(p.left for p in pools[name]) < amount for name, amount in need.items()):
                break
            resources = [r for name, amount in need.items() for r in take(pools[name], amount)]
            slot.attempts += 1
            slot.task_id = slot.next_task_id()
            slot.agent_id = agent_id
            slot.state = "TASK_STAGING"  # where the master puts a task it accepted
            self._by_task_id[slot.task_id] = slot
            tasks.append(
                {
                    "name": f"sleep-{slot.index}",
                    "task_id": {"value": slot.task_id},
                    "agent_id": {"value": agent_id},
                    "resources": resources,
                    "command": {"shell": True, "value": f"sleep {self.settings.sleep:g}"},
                    **self._labels(),
                }
            )
        return tasks

    def _labels(self) -> Json:
        """TaskInfo.labels from --label; left out when there are none."""
        if not self.settings.labels:
            return {}
        return {"labels": {"labels": [{"key": k, "value": v} for k, v in self.settings.labels]}}

    def _on_update(self, event: Json) -> list[Json]:
        """Acknowledge an update carrying a uuid, then move the task's slot along."""
        status = (event.get("update") or {}).get("status") or {}
        self.updates += 1
        task_id = value_of(status.get("task_id"))
        state = str(status.get("state", "TASK_UNKNOWN"))
        slot = self._by_task_id.get(task_id or "")
        agent_id = value_of(status.get("agent_id")) or (slot.agent_id if slot else None)
        uuid_b64 = status.get("uuid")
        details = [
            f"on agent {agent_id}" if agent_id else "",
            str(status.get("reason", "")),
            f"({status.get('source')})" if status.get("source") else "",
            repr(status["message"]) if status.get("message") else "",
            "" if uuid_b64 else "no uuid",
        ]
        self.log.info("event UPDATE %s %s %s", task_id, state, " ".join(d for d in details if d))

        calls: list[Json] = []
        if uuid_b64:
            # Reliable updates are resent until acknowledged; uuid goes back as it came.
            if task_id and agent_id:
                calls.append(
                    self._call(
                        "ACKNOWLEDGE",
                        acknowledge={
                            "agent_id": {"value": agent_id},
                            "task_id": {"value": task_id},
                            "uuid": uuid_b64,
                        },
                    )
                )
            else:
                self.log.warning("cannot acknowledge update for %s: no agent_id", task_id)
        if slot is None:
            self.log.warning("update for %s, a task this framework did not launch", task_id)
        elif slot.task_id != task_id:
            self.log.info("%s is an earlier attempt of sleep-%d: ignored", task_id, slot.index)
        elif slot.outcome is not None:
            self.log.info("%s already ended %s: ignored", task_id, slot.state)
        else:
            calls += self._transition(slot, state, agent_id)
        return calls

    def _transition(self, slot: TaskSlot, state: str, agent_id: str | None) -> list[Json]:
        slot.state = state
        slot.agent_id = agent_id or slot.agent_id
        if state == FINISHED:
            slot.outcome = "finished"
            self.log.info("%s finished (%s)", slot.task_id, self.progress())
        elif state in RELAUNCH_STATES:
            if slot.attempts <= self.settings.max_retries:
                self.log.warning(
                    "%s ended %s: relaunching (retry %d of %d)",
                    slot.task_id, state, slot.attempts, self.settings.max_retries,
                )
                slot.task_id, slot.agent_id, slot.state = None, None, PENDING
                return self._want_offers()
            slot.outcome = "failed"
            self.log.error(
                "%s ended %s after %d attempt(s): giving up on it",
                slot.task_id, state, slot.attempts,
            )
        elif state in FINAL_STATES:
            slot.outcome = "failed"
            self.log.error("%s ended %s, which this framework does not retry",
                           slot.task_id, state)
        return []

    # Call results.

    def call_succeeded(self, call: Json) -> None:
        if call.get("type") == "ACKNOWLEDGE":
            self.acknowledged += 1

    def call_rejected(self, call: Json) -> list[Json]:
        """A 4xx for a call. For ACCEPT the tasks will never get an update, so each
        attempt ends here as if it had ended TASK_ERROR."""
        if call.get("type") != "ACCEPT":
            return []
        calls: list[Json] = []
        for operation in call["accept"].get("operations", []):
            for task in (operation.get("launch") or {}).get("task_infos", []):
                task_id = value_of(task.get("task_id"))
                slot = self._by_task_id.get(task_id or "")
                if slot is not None and slot.task_id == task_id and slot.outcome is None:
                    calls += self._transition(slot, "TASK_ERROR", None)
        return calls


@dataclass
class Pool:
    """One offered scalar resource and how much of it is still free in this round."""

    template: Json  # the offered entry: role, allocation_info, reservations are copied
    left: int  # thousandths


def offered_pools(offer: Json) -> dict[str, list[Pool]]:
    """The offer's cpus and mem entries, excluding revocable ones, kept apart because
    reserved and unreserved resources of one name are separate entries."""
    pools: dict[str, list[Pool]] = {"cpus": [], "mem": []}
    for resource in offer.get("resources") or []:
        name = resource.get("name")
        if name in pools and resource.get("type") == "SCALAR" and "revocable" not in resource:
            pools[name].append(Pool(resource, millis(scalar(resource))))
    return pools


def take(pools: list[Pool], amount: int) -> list[Json]:
    """Carves `amount` out of the pools, as resources shaped like the offered ones.

    Everything but the scalar is copied from the offer (role, allocation_info,
    reservations): the master matches launched resources against offered ones on
    exactly those fields.
    """
    taken: list[Json] = []
    for pool in pools:
        part = min(pool.left, amount)
        if part <= 0:
            continue
        resource = {k: v for k, v in pool.template.items() if k != "scalar"}
        resource["scalar"] = {"value": part / 1000}
        taken.append(resource)
        pool.left -= part
        amount -= part
        if amount == 0:
            break
    return taken


def heartbeat_interval(event: Json) -> float:
    """SUBSCRIBED's heartbeat interval in seconds, Mesos' default when absent."""
    raw = (event.get("subscribed") or {}).get("heartbeat_interval_seconds")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 0 < raw < float("inf"):
        return float(raw)
    return DEFAULT_HEARTBEAT_SECONDS


# --- The driver: HTTP, the event stream, reconnects ---------------------------------


@dataclass(frozen=True)
class Credentials:
    """How calls authenticate: a bearer token (given or read from a file, re-read on
    every request so a rotated Kubernetes token keeps working) or Basic principal and
    secret."""

    token: str | None = None
    token_file: str | None = None
    principal: str | None = None
    secret: str | None = None

    def header(self) -> str | None:
        if self.token_file:
            try:
                with open(self.token_file, encoding="utf-8") as handle:
                    return f"Bearer {handle.read().strip()}"
            except OSError as err:
                raise GiveUp(f"cannot read --token-file: {err}") from err
        if self.token:
            return f"Bearer {self.token}"
        if self.principal and self.secret is not None:
            pair = f"{self.principal}:{self.secret}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None


@dataclass
class Session:
    """One open subscription: its connection, socket and Mesos-Stream-Id."""

    endpoint: Endpoint
    conn: http.client.HTTPConnection
    sock: socket.socket
    response: http.client.HTTPResponse
    stream_id: str | None
    opened: float
    subscribed: bool = False

    def close(self) -> None:
        for closable in (self.response, self.conn, self.sock):
            try:
                closable.close()
            except OSError:
                pass


class Driver:
    """Keeps one subscription to the leading master and carries the scheduler's calls.

    Calls go on their own short connections, as the API requires; the subscription's
    socket timeout is what notices a silent master.
    """

    def __init__(
        self,
        scheduler: Scheduler,
        masters: list[Endpoint],
        credentials: Credentials,
        tls: ssl.SSLContext | None,
        teardown: bool,
        timeout: float | None,
        log: logging.Logger,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.scheduler = scheduler
        self.masters = masters
        self.credentials = credentials
        self.tls = tls
        self.teardown = teardown
        self.log = log
        self.clock = clock
        self.sleep = sleep
        self.deadline = None if timeout is None else clock() + timeout
        self.timeout = timeout
        self.disconnected_at: float | None = None

    def run(self) -> None:
        """Returns once every task has finished; raises GiveUp otherwise."""
        attempt = 0
        while True:
            self._check_deadline()
            self._check_failover()
            session: Session | None = None
            try:
                session = self._subscribe(self.masters[attempt % len(self.masters)])
                self._serve(session)
                if not self.scheduler.succeeded:
                    failed = self.scheduler.count("failed")
                    raise GiveUp(f"{failed} task(s) failed for good")
                if self.teardown:
                    self._teardown(session)
                return
            except ConnectionLost as lost:
                self.log.warning("connection lost: %s", lost)
                if session is not None and session.subscribed:
                    self.disconnected_at = self.clock()
                    stable = self.clock() - session.opened >= STABLE_SESSION_SECONDS
                    attempt = 0 if stable else attempt + 1
                else:
                    attempt += 1
            except (GiveUp, Interrupted) as stop:
                wanted = getattr(stop, "teardown", True)
                if self.teardown and wanted and session is not None and session.subscribed:
                    self._teardown(session)
                raise
            finally:
                if session is not None:
                    session.close()
            self._backoff(attempt)

    # Deadlines.

    def _check_deadline(self) -> None:
        if self.deadline is not None and self.clock() >= self.deadline:
            raise self._timed_out()

    def _timed_out(self) -> GiveUp:
        return GiveUp(f"timed out after {self.timeout:g}s ({self.scheduler.progress()})")

    def _check_failover(self) -> None:
        """Past the failover timeout the master has removed the framework and killed its
        tasks: re-subscribing with its ID cannot succeed."""
        if self.disconnected_at is None:
            return
        limit = self.scheduler.settings.failover_timeout
        if self.clock() - self.disconnected_at > limit:
            raise GiveUp(f"disconnected for longer than the failover timeout ({limit:g}s)")

    def _backoff(self, attempt: int) -> None:
        cap = min(BACKOFF_MAX, BACKOFF_MIN * 2 ** min(max(attempt - 1, 0), 10))
        delay = random.uniform(cap / 2, cap)
        if self.deadline is not None:
            delay = max(0.0, min(delay, self.deadline - self.clock()))
        self.log.info("re-subscribing in %.1fs", delay)
        self.sleep(delay)

    # HTTP.

    def _connection(self, endpoint: Endpoint) -> http.client.HTTPConnection:
        if endpoint.scheme == "https":
            return http.client.HTTPSConnection(
                endpoint.host, endpoint.port, timeout=REQUEST_TIMEOUT, context=self.tls
            )
        return http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=REQUEST_TIMEOUT)

    def _headers(self, stream_id: str | None) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        # Mesos refuses a SUBSCRIBE that carries a stream ID, and any other call without.
        if stream_id:
            headers["Mesos-Stream-Id"] = stream_id
        authorization = self.credentials.header()
        if authorization:
            headers["Authorization"] = authorization
        return headers

    def _subscribe(self, endpoint: Endpoint) -> Session:
        """Opens the event stream, following 307s to the leading master."""
        call = self.scheduler.subscribe_call()
        body = json.dumps(call).encode()
        for _ in range(MAX_REDIRECTS + 1):
            self.log.info("call %s to %s", describe_call(call), endpoint.url)
            self.log.debug("call body %s", body.decode())
            conn = self._connection(endpoint)
            try:
                conn.connect()
                sock = conn.sock
                conn.request("POST", endpoint.path, body, self._headers(None))
                response = conn.getresponse()
            except ssl.SSLCertVerificationError as err:
                conn.close()
                raise GiveUp(f"{endpoint.url}: {err.verify_message}; pass --ca-file, "
                             "or --insecure to skip verification") from err
            except (OSError, http.client.HTTPException) as err:
                conn.close()
                raise ConnectionLost(f"SUBSCRIBE to {endpoint.url} failed: {err}") from err
            if response.status == 200:
                return self._open_stream(endpoint, conn, sock, response)
            detail = read_detail(response)
            conn.close()
            if response.status == 307:
                endpoint = resolve_redirect(endpoint, response.getheader("Location"))
                self.log.info("SUBSCRIBE -> 307: the leading master is %s", endpoint.url)
                continue
            message = f"SUBSCRIBE -> {response.status} {response.reason}: {detail}"
            if response.status >= 500 or response.status in (408, 429):
                raise ConnectionLost(message)  # e.g. 503 while a master recovers
            raise GiveUp(message)
        raise ConnectionLost(f"more than {MAX_REDIRECTS} redirects")

    def _open_stream(
        self,
        endpoint: Endpoint,
        conn: http.client.HTTPConnection,
        sock: socket.socket,
        response: http.client.HTTPResponse,
    ) -> Session:
        media = (response.getheader("Content-Type") or "application/json").lower()
        message_media = (response.getheader("Message-Content-Type") or "").lower()
        if not media.startswith("application/json") and not (
            media.startswith("application/recordio")
            and message_media.startswith("application/json")
        ):
            conn.close()
            raise GiveUp(f"master answered SUBSCRIBE with {media}, not application/json")
        stream_id = response.getheader("Mesos-Stream-Id")
        if not stream_id:
            self.log.warning("SUBSCRIBE response has no Mesos-Stream-Id header")
        self.log.info("SUBSCRIBE -> 200, Mesos-Stream-Id %s", stream_id)
        return Session(endpoint, conn, sock, response, stream_id, self.clock())

    def _serve(self, session: Session) -> None:
        """Reads events until every task is done; raises ConnectionLost otherwise."""
        decoder = RecordIODecoder()
        silence_limit = REQUEST_TIMEOUT  # until SUBSCRIBED names the heartbeat interval
        waiting_for = "SUBSCRIBED"
        last_event = self.clock()
        while True:
            data = self._read(session, last_event + silence_limit, silence_limit, waiting_for)
            for record in decoder.feed(data):
                if not record:
                    continue  # Mesos never sends empty records; nothing to do with one
                last_event = self.clock()
                event = parse_event(record)
                self.log.debug("event body %s", record.decode("utf-8", "replace"))
                if event.get("type") == "SUBSCRIBED":
                    interval = heartbeat_interval(event)
                    silence_limit = MISSED_HEARTBEATS * interval
                    waiting_for = f"heartbeat ({MISSED_HEARTBEATS} intervals of {interval:g}s)"
                    calls = self.scheduler.subscribed(event)
                    session.subscribed = True
                    self.disconnected_at = None
                elif session.subscribed or event.get("type") == "ERROR":
                    calls = self.scheduler.handle(event)
                else:
                    raise ProtocolError(f"first event is {event.get('type')}, not SUBSCRIBED")
                self._send_all(session, calls)
                if self.scheduler.done:
                    return

    def _read(
        self, session: Session, silence_deadline: float, limit: float, waiting_for: str
    ) -> bytes:
        """The next bytes of the stream, whatever their chunking; raises when the
        master stays silent past `silence_deadline` or the overall deadline."""
        self._check_deadline()
        until, overall_first = silence_deadline, False
        if self.deadline is not None and self.deadline < silence_deadline:
            until, overall_first = self.deadline, True
        session.sock.settimeout(max(until - self.clock(), 0.001))
        try:
            data = session.response.read1(READ_SIZE)
        except TimeoutError:
            if overall_first:
                raise self._timed_out() from None
            raise ConnectionLost(f"no {waiting_for} for {limit:g}s") from None
        except (OSError, http.client.HTTPException) as err:
            raise ConnectionLost(f"event stream broke: {err!r}") from err
        if not data:
            raise ConnectionLost("master closed the event stream")
        return data

    def _send_all(self, session: Session, calls: list[Json]) -> None:
        queue = deque(calls)
        while queue:
            queue.extend(self._send(session, queue.popleft()))

    def _send(self, session: Session, call: Json) -> list[Json]:
        """POSTs one call; returns any calls its rejection makes necessary."""
        body = json.dumps(call).encode()
        self.log.debug("call body %s", body.decode())
        conn = self._connection(session.endpoint)
        try:
            conn.request("POST", session.endpoint.path, body, self._headers(session.stream_id))
            response = conn.getresponse()
            detail = read_detail(response)
        except (OSError, http.client.HTTPException) as err:
            raise ConnectionLost(f"{describe_call(call)} failed: {err!r}") from err
        finally:
            conn.close()
        status = response.status
        if 200 <= status < 300:
            self.log.info("call %s -> %d", describe_call(call), status)
            self.scheduler.call_succeeded(call)
            return []
        self.log.error("call %s -> %d %s: %s", describe_call(call), status,
                       response.reason, detail)
        if status == 307:
            raise ConnectionLost("the leading master moved")
        if status == 401:
            raise GiveUp(f"master refused our credentials: {detail}")
        if status == 403:
            raise ConnectionLost("master no longer accepts calls on this subscription")
        if status >= 500 and call.get("type") == "ACCEPT":
            # Whether the launch happened is unknown: reconnect, and RECONCILE will tell.
            raise ConnectionLost("ACCEPT failed on the master")
        return self.scheduler.call_rejected(call) if status < 500 else []

    def _teardown(self, session: Session) -> None:
        call = {"type": "TEARDOWN", "framework_id": {"value": self.scheduler.framework_id}}
        try:
            self._send(session, call)
        except (ConnectionLost, GiveUp) as err:
            self.log.warning("TEARDOWN failed (%s): the master removes the framework "
                             "after its failover timeout", err)


def read_detail(response: http.client.HTTPResponse) -> str:
    """The start of a response body, on one line, for error messages."""
    try:
        raw = response.read(MAX_ERROR_BODY)
    except (OSError, http.client.HTTPException):
        return ""
    return " ".join(raw.decode("utf-8", "replace").split()) or "(no body)"


def parse_event(record: bytes) -> Json:
    try:
        event = json.loads(record)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ProtocolError(f"event is not JSON: {err}") from None
    if not isinstance(event, dict):
        raise ProtocolError("event is not a JSON object")
    return event


# --- Command line -------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        description="Run N sleep tasks through the Mesos v1 Scheduler HTTP API.",
        epilog="Exit status: 0 all tasks finished, 1 failure or give-up, 2 bad flags.",
    )
    parser.add_argument(
        "--master", default=env("MESOS_MASTER"),
        help="master URL, or several separated by commas; calls go to "
             "<URL>/api/v1/scheduler (env MESOS_MASTER)",
    )
    parser.add_argument("--tasks", type=int, default=3, help="tasks to run (default 3)")
    parser.add_argument("--label", action="append", default=[], metavar="KEY=VALUE",
                        help="a label on every task (repeatable)")
    parser.add_argument("--sleep", type=float, default=2.0,
                        help="seconds each task sleeps (default 2)")
    parser.add_argument("--cpus", type=float, default=0.1, help="cpus per task (default 0.1)")
    parser.add_argument("--mem", type=float, default=32.0, help="MiB per task (default 32)")
    parser.add_argument("--name", default="sleep-framework", help="framework name")
    parser.add_argument("--role", action="append", dest="roles", metavar="ROLE",
                        help="role to subscribe with, repeatable (default *)")
    parser.add_argument("--single-role", action="store_true",
                        help="use the pre-MULTI_ROLE FrameworkInfo.role field")
    parser.add_argument("--user", help="user the tasks run as (default: the current user)")
    parser.add_argument("--failover-timeout", type=float, default=300.0,
                        help="seconds the master keeps the framework's tasks while it "
                             "is disconnected (default 300)")
    parser.add_argument("--max-retries", type=int, default=1,
                        help="relaunches per task after it fails or is lost (default 1)")
    parser.add_argument("--refuse-seconds", type=float, default=5.0,
                        help="decline filter while tasks are pending (default 5)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="give up after this many seconds, 0 for never (default 600)")
    parser.add_argument("--teardown", action=argparse.BooleanOptionalAction, default=True,
                        help="TEARDOWN the framework when done (default yes)")
    parser.add_argument("--token", default=env("MESOS_TOKEN"),
                        help="bearer token (env MESOS_TOKEN)")
    parser.add_argument("--token-file", default=env("MESOS_TOKEN_FILE"),
                        help="file holding a bearer token, re-read per request, e.g. "
                             "/var/run/secrets/kubernetes.io/serviceaccount/token "
                             "(env MESOS_TOKEN_FILE)")
    parser.add_argument("--principal", default=env("MESOS_PRINCIPAL"),
                        help="principal, set in FrameworkInfo (env MESOS_PRINCIPAL)")
    parser.add_argument("--secret", default=env("MESOS_SECRET"),
                        help="secret for Basic authentication with --principal "
                             "(env MESOS_SECRET)")
    parser.add_argument("--ca-file", help="CA bundle to verify an https master with")
    parser.add_argument("--insecure", action="store_true",
                        help="do not verify the https master's certificate")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also log the JSON of every event and call")
    args = parser.parse_args(argv)

    problems = []
    if not args.master:
        problems.append("--master (or MESOS_MASTER) is required")
    if args.tasks < 1 or args.max_retries < 0:
        problems.append("--tasks must be at least 1 and --max-retries at least 0")
    if args.cpus <= 0 or args.mem <= 0 or args.sleep < 0:
        problems.append("--cpus and --mem must be positive, --sleep not negative")
    if args.failover_timeout < 0 or args.refuse_seconds < 0 or args.timeout < 0:
        problems.append("--failover-timeout, --refuse-seconds and --timeout must not be "
                        "negative")
    if (args.token or args.token_file) and args.secret is not None:
        problems.append("use either a token or --principal/--secret, not both")
    if args.secret is not None and not args.principal:
        problems.append("--secret needs --principal")
    args.roles = args.roles or ["*"]
    if args.single_role and len(args.roles) != 1:
        problems.append("--single-role takes exactly one --role")
    if problems:
        parser.error("; ".join(problems))
    try:
        args.masters = [parse_master(m) for m in args.master.split(",") if m.strip()]
    except ValueError as err:
        parser.error(str(err))
    return args


def tls_context(args: argparse.Namespace) -> ssl.SSLContext | None:
    if not any(m.scheme == "https" for m in args.masters):
        return None
    context = ssl.create_default_context(cafile=args.ca_file)
    if args.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in many containers
        return "nobody"


def stop_on_signal(signum: int, _frame: object) -> None:
    """Turns SIGINT/SIGTERM into Interrupted, once: a second signal ends the process
    without waiting for TEARDOWN."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s.%(msecs)03d %(levelname)-7s %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S",
    )
    log = logging.getLogger("sleep-framework")
    settings = Settings(
        tasks=args.tasks,
        sleep=args.sleep,
        cpus=args.cpus,
        mem=args.mem,
        name=args.name,
        roles=tuple(args.roles),
        multi_role=not args.single_role,
        user=args.user or current_user(),
        hostname=socket.gethostname(),
        principal=args.principal,
        failover_timeout=args.failover_timeout,
        max_retries=args.max_retries,
        refuse_seconds=args.refuse_seconds,
        labels=tuple(parse_label(x) for x in args.label),
    )
    scheduler = Scheduler(settings, log)
    driver = Driver(
        scheduler,
        args.masters,
        Credentials(args.token, args.token_file, args.principal, args.secret),
        tls_context(args),
        teardown=args.teardown,
        timeout=args.timeout or None,
        log=log,
    )
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    code = 0
    try:
        driver.run()
        log.info("all %d tasks finished", settings.tasks)
    except GiveUp as err:
        log.error("giving up: %s", err)
        code = 1
    except Interrupted as stop:
        log.warning("stopped by %s (%s)", stop, scheduler.progress())
        code = 128 + stop.signum
    print(json.dumps(scheduler.summary()), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
