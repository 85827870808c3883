"""The processes a test started, as /proc shows them: children, a service's workers, their time."""

import os
import signal


def children(pid: int) -> list:
    """The processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def workers(service) -> list:
    """A `formcheck serve`'s workers: its fork server's children."""
    return [worker for server in children(service.process.pid) for worker in children(server)]


def cpu_ticks(pid: int) -> int:
    """The processor time a process has had, in ticks (utime + stime of /proc/PID/stat)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def kill(pid: int) -> bool:
    """SIGKILL to `pid`; False if it had ended since /proc was read (not the one to kill)."""
    try:
        os.kill(pid, signal.SIGKILL)
        return True
    except ProcessLookupError:
        return False
