"""Fixes to moto 5.2.1 that the local AWS needs, applied as moto_server starts (MotoServer puts this folder first on
PYTHONPATH, so Python's site module imports it; no other process gets it).

Step Functions, with execute_state_machine on: a second StartExecution of a state machine that has run before fails
with HTTP 500 ("TypeError: cannot pickle '_thread.RLock' object"). start_execution takes a snapshot of the state machine
with copy.deepcopy, and after a first run the state machine's executions hold a live worker thread and its lock.
Reported as getmoto/moto#10077 and fixed after 5.2.1 by getmoto/moto#10093 in the same way as here: the snapshot is
taken without the executions (an empty list stands in for them), which a new execution does not need. Without it the
local AWS could run each state machine once: a second drill on `failover local up` failed.
"""

import copy as _copy


class _SnapshotWithoutExecutions:
    """The copy module as moto's Step Functions parser sees it, except that deepcopy leaves executions out."""

    def deepcopy(self, value, memo=None):
        memo = {} if memo is None else memo
        executions = getattr(value, "executions", None)
        if isinstance(executions, list):
            memo[id(executions)] = []
        return _copy.deepcopy(value, memo)

    def __getattr__(self, name):
        return getattr(_copy, name)


def _patch_step_functions_parser():
    try:
        from moto.stepfunctions.parser import models
    except ImportError:
        # Not moto_server's interpreter, or a moto without the parser: nothing to fix.
        return
    models.copy = _SnapshotWithoutExecutions()


_patch_step_functions_parser()
