"""Who holds a lease, and whether that process still exists.

A holder string names its process: `host:pid:machine:started:nonce`, e.g.
`box1:4242:3f2a9c1b.4026531836:1234567:a1b2c3`.

    host      the host name
    machine   the kernel's boot id (8 hex) and the pid namespace's inode: two processes that
              agree on it see the same process table, so one can look the other's pid up
    started   the process's start time (clock ticks since boot, /proc/<pid>/stat field 22):
              a pid reused by a later process has another start time
    nonce     random, so two holders in one process differ

Off Linux (no /proc) `machine` and `started` are `-` and only the pid is checked. A lease
whose holder is gone may be taken over at once instead of after its TTL. Only a process on
this machine can be known gone; any other holder (another host, a container with its own pid
namespace, a name given with `--holder`) is trusted until its lease expires.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import socket
from dataclasses import dataclass

# The host part is greedy and the rest anchored, so a host name with ":" still parses.
_HOLDER = re.compile(
    r"(?P<host>.+):(?P<pid>[0-9]+):(?P<machine>[0-9a-f]{8}\.[0-9]+|-):(?P<started>[0-9]+|-)"
    r":(?P<nonce>[0-9a-f]+)"
)


@dataclass(frozen=True, slots=True)
class Holder:
    host: str
    pid: int
    machine: str | None
    started: int | None
    nonce: str

    def __str__(self) -> str:
        started = "-" if self.started is None else str(self.started)
        return f"{self.host}:{self.pid}:{self.machine or '-'}:{started}:{self.nonce}"

    @classmethod
    def parse(cls, holder: str) -> Holder | None:
        """The holder named by a string this module made; None for any other name."""
        m = _HOLDER.fullmatch(holder)
        if m is None:
            return None
        started = m["started"]
        return cls(m["host"], int(m["pid"]), None if m["machine"] == "-" else m["machine"],
                   None if started == "-" else int(started), m["nonce"])  # fmt: skip


def new_holder() -> str:
    """A lease holder string for this process (a new nonce each call)."""
    here = this_process()
    return str(Holder(here.host, here.pid, here.machine, here.started, secrets.token_hex(3)))


def this_process() -> Holder:
    """This process as a holder (nonce empty): what other holders are compared with."""
    pid = os.getpid()
    try:
        stat = _stat(pid)
    except OSError:
        stat = None
    return Holder(socket.gethostname(), pid, _machine(), stat[1] if stat else None, "")


def holder_is_gone(holder: str, here: Holder | None = None) -> bool:
    """True only when `holder` is a process of this machine that has ended (a zombie
    counts as ended). False whenever that cannot be known from here."""
    them = Holder.parse(holder)
    me = here or this_process()
    if them is None or them.pid <= 0 or (them.host, them.machine) != (me.host, me.machine):
        return False
    if them.started is None:
        return not _pid_exists(them.pid)
    try:
        stat = _stat(them.pid)
    except OSError:  # /proc/<pid> there but unreadable: someone is running under that pid
        return False
    if stat is None:
        return True
    state, started = stat
    return state in ("Z", "X") or started != them.started


def describe(holder: str, here: Holder | None = None) -> str:
    """The holder in words for a message: which process on which host."""
    them = Holder.parse(holder)
    me = here or this_process()
    if them is None:
        return repr(holder)  # a name given by hand (`--holder`)
    if (them.host, them.machine) == (me.host, me.machine):
        return f"process {them.pid} on this host ({them.host})"
    if them.host == me.host:
        return f"process {them.pid} on host {them.host} (another boot or pid namespace)"
    return f"process {them.pid} on host {them.host}"


@functools.cache
def _machine() -> str | None:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            boot = f.read().strip().replace("-", "")[:8]
        namespace = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        return None
    inode = namespace.rpartition("[")[2].rstrip("]")
    if not (re.fullmatch(r"[0-9a-f]{8}", boot) and inode.isdigit()):
        return None
    return f"{boot}.{inode}"


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, start time in ticks) from /proc/<pid>/stat; None when there is no such
    process (or no /proc). Other OSErrors pass through."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            text = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name (field 2) may hold spaces and parentheses: count from the last ")".
    fields = text[text.rfind(")") + 2 :].split()
    if len(fields) < 20 or not fields[19].isdigit():
        raise OSError(f"/proc/{pid}/stat has no start time: {text[:80]!r}")
    return fields[0], int(fields[19])


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the pid exists
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, as another user
        return True
    return True
