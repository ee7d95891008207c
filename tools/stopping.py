"""stopping.py: a tool that runs children stops as one when asked.

Once stop_on_signals() has run, the first SIGINT, SIGTERM or SIGHUP raises
Stopped in the main thread; later ones are left to the children, which get
them from the terminal or the process group themselves (a second Stopped
would cut short the wait below). run_child() passes the signal that
stopped the tool on to the child it is waiting for and waits for the
child to write what it measured and exit (two minutes at most), then
raises again: no child is left running, and no folder is removed while a
child still writes into it. parlab takes the same signal passed on by its
parent as the same request, so a signal to the whole group that reaches
it twice ends it once.

Used by tools/fidelity.py, and by tools/calibrate.py and tools/gil_trace.py,
which run under Python 2.7 too.
"""
import signal
import subprocess
import time

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
NAMES = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM",
         signal.SIGHUP: "SIGHUP"}
GRACE_S = 120  # how long a stopped child may take to write and exit


class Stopped(Exception):
    """A stop signal during a run; signum says which."""

    def __init__(self, signum):
        Exception.__init__(self, signum)
        self.signum = signum

    def name(self):
        return NAMES.get(self.signum, "signal %d" % self.signum)


def stop_on_signals():
    """From here on the first SIGINT, SIGTERM or SIGHUP raises Stopped in
    the main thread; later ones do nothing here."""
    seen = []

    def raise_stopped(signum, frame):
        if not seen:
            seen.append(signum)
            raise Stopped(signum)
    for sig in SIGNALS:
        signal.signal(sig, raise_stopped)


def run_child(cmd, check=False, **kw):
    """Runs cmd and returns its exit status (with check, raises
    CalledProcessError unless 0). Stopped meanwhile, it passes the signal
    on, waits for the child (GRACE_S at most, then kills it) and raises
    again."""
    p = None
    try:
        p = subprocess.Popen(cmd, **kw)
        rc = p.wait()
    except Stopped as e:
        if p is None:
            raise  # stopped before the child began
        if p.poll() is None:
            p.send_signal(e.signum)
        end = time.time() + GRACE_S
        while p.poll() is None and time.time() < end:
            time.sleep(0.05)
        if p.poll() is None:
            p.kill()
            p.wait()
        raise
    if check and rc != 0:
        raise subprocess.CalledProcessError(rc, cmd)
    return rc
