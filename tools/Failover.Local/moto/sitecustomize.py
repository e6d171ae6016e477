"""Fixes to moto 5.2.1 that the local AWS needs, applied as moto_server starts (MotoServer puts this folder first on
PYTHONPATH, so Python's site module imports it; no other process gets it).

Step Functions, with execute_state_machine on: a second StartExecution of a state machine that has run before fails
with HTTP 500 ("TypeError: cannot pickle '_thread.RLock' object"). start_execution takes a snapshot of the state machine
with copy.deepcopy, and after a first run the state machine's executions hold a live worker thread and its lock.
Reported as getmoto/moto#10077 and fixed after 5.2.1 by getmoto/moto#10093 in the same way as here: the snapshot is
taken without the executions (an empty list stands in for them), which a new execution does not need. Without it the
local AWS could run each state machine once: a second drill on `failover local up` failed.

Step Functions, every JSONPath (InputPath, Parameters, ResultPath, a Choice's Variable): moto's parser compiles the path
each time it is read, and jsonpath_ng builds a new LALR parser (its PLY tables) for each compilation: 12-18 ms per path
on this machine against 0.3 ms to parse with a parser already built and 0.01 ms to evaluate. A run reads about 60 paths,
so the local workflow spent about a second in the emulator alone, time a real state machine does not add, and it
counted in every RTO the simulation reports. The parser is built once and each distinct path compiled once; what
a path selects is unchanged (the compiled expression is only read by find and update_or_create).
"""

import copy as _copy
import functools as _functools
import threading as _threading


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

    from jsonpath_ng.ext.parser import ExtendedJsonPathParser
    from jsonpath_ng.parser import JsonPathParser
    from moto.stepfunctions.parser.asl.component.common.path import result_path
    from moto.stepfunctions.parser.asl.utils import json_path

    json_path.parse = _compiling_each_path_once(ExtendedJsonPathParser)
    result_path.parse = _compiling_each_path_once(JsonPathParser)


def _compiling_each_path_once(parser_class):
    """A parse function like jsonpath_ng's that builds its parser once (used by one thread at a time: a PLY parser
    keeps state while it parses; Parallel branches run on threads of their own) and compiles each distinct path once."""
    parser = parser_class()
    one_at_a_time = _threading.Lock()

    @_functools.lru_cache(maxsize=4096)
    def parse(path):
        with one_at_a_time:
            return parser.parse(path)

    return parse


_patch_step_functions_parser()
