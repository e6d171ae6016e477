#!/usr/bin/env python3
"""Writes docs/rto-budget.md: the orchestrator's own share of a failover's RTO on AWS, phase by phase.

The figures come from the deployed settings (template.yaml parameter defaults, the functions' memory), the state machine
(statemachines/failover.asl.json: which functions run one after another before traffic moves) and the inputs below,
each with where it comes from. The time AWS itself takes (a promotion, a DRS launch, Route 53 noticing a switch) is not
the orchestrator's and is left out; so are the policy delays a team chooses (the trigger's sustain period, approval).

    python3 tools/rto-budget.py [--cold-start SECONDS] [--call SECONDS] [--poll SECONDS]

--poll sets every poll interval to the given value instead of the template's defaults, to show what a deployment
with tighter polling would get (the parameters DatabasePollSeconds, ServerPollSeconds, TrafficPollSeconds).
"""
import argparse
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The functions that run one after another from the alarm to traffic moved, in order; parallel branches count once
# (the slower). Each is its own Lambda function, cold in a real failover (failovers are rare). Notify runs again after
# the recovery, warm by then. Check traffic runs only when Route 53 has not yet reported the switch at Switch traffic's
# own look (on AWS a health check needs its evaluation period, so it does).
CRITICAL_PATH = [
    ("Trigger", None),
    ("Prepare", "Prepare"),
    ("Notify start", "Notify start"),
    ("Promote databases or Start recovery", "Recover"),
    ("Check databases or Check recovery", "Recover"),
    ("Switch traffic", "Switch traffic"),
    ("Check traffic", "Check traffic"),
]

# Calls each critical step makes one after another (not side by side), for the standard plan (one database, one DRS
# wave in one batch, one switch): Prepare reads the database, its lag and the servers; Notify publishes once; each
# promotion or batch is one call; Switch traffic flips and looks once.
SEQUENTIAL_CALLS = {
    "Trigger": 2,  # DescribeAlarms (quorum), StartExecution
    "Prepare": 4,  # DescribeDBInstances, GetMetricData (lag), DescribeSourceServers, DescribeJobs
    "Notify start": 1,  # Publish
    "Promote databases or Start recovery": 2,  # DescribeDBInstances then PromoteReadReplica (the slower branch)
    "Check databases or Check recovery": 1,
    "Switch traffic": 2,  # PutMetricData, GetHealthCheckStatus
    "Check traffic": 1,  # GetHealthCheckStatus
}


def template_default(text, parameter):
    match = re.search(rf"^  {parameter}:\n(?:    .*\n)*?    Default: '?(\d+)'?", text, re.MULTILINE)
    if not match:
        sys.exit(f"template.yaml: parameter {parameter} has no Default")
    return int(match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold-start", type=float, default=1.0,
                        help="seconds a cold .NET function takes before its handler runs (default 1.0: the middle of "
                             "0.5-1.4 s measured for these functions at 512 MB)")
    parser.add_argument("--ready-to-run-factor", type=float, default=0.71,
                        help="a ReadyToRun cold start as a fraction of a JIT one (default 0.71: whole-process cold starts "
                             "of the Functions assembly, ReadyToRun against JIT, measured on an x64 development machine); "
                             "applied when functions/Failover.Functions publishes ReadyToRun")
    parser.add_argument("--call", type=float, default=0.05,
                        help="seconds per AWS API call within the region (default 0.05)")
    parser.add_argument("--poll", type=int, help="every poll interval, in seconds, instead of the template's defaults")
    parser.add_argument("--output", default=str(ROOT / "docs" / "rto-budget.md"))
    args = parser.parse_args()

    template = (ROOT / "template.yaml").read_text(encoding="utf-8")
    machine = json.loads((ROOT / "statemachines" / "failover.asl.json").read_text(encoding="utf-8"))
    states = set(machine["States"])
    for branch in machine["States"]["Recover"]["Branches"]:
        states |= set(branch["States"])
    for name, state in CRITICAL_PATH:
        if state is not None and state not in states:
            sys.exit(f"statemachines/failover.asl.json has no state '{state}' ({name}): update CRITICAL_PATH")
    if "Merge recovery" in machine["States"] and machine["States"]["Merge recovery"]["Type"] != "Pass":
        sys.exit("'Merge recovery' is a function again: add it to CRITICAL_PATH")

    polls = {p: args.poll if args.poll is not None else template_default(template, p)
             for p in ("DatabasePollSeconds", "ServerPollSeconds", "TrafficPollSeconds")}
    memory = re.search(r"^    MemorySize: (\d+)", template, re.MULTILINE).group(1)

    ready_to_run = "<PublishReadyToRun" in (ROOT / "functions" / "Failover.Functions" / "Failover.Functions.csproj").read_text(encoding="utf-8")
    cold_start = args.cold_start * (args.ready_to_run_factor if ready_to_run else 1.0)
    cold = len(CRITICAL_PATH) * cold_start
    calls = sum(SEQUENTIAL_CALLS.values()) * args.call
    # The later of the two recovery branches adds its poll's detection delay: a completion falls anywhere in an
    # interval, so on average half of it (two equal branches: two thirds, the mean of the larger of two uniform delays).
    database, server, traffic = polls["DatabasePollSeconds"], polls["ServerPollSeconds"], polls["TrafficPollSeconds"]
    recovery_average = (2 / 3) * database if database == server else max(database, server) / 2
    recovery_worst = max(database, server)
    poll_average = recovery_average + traffic / 2
    poll_worst = recovery_worst + traffic
    total_average = cold + calls + poll_average
    total_worst = cold + calls + poll_worst

    rows = [
        ("Trigger decision", f"{SEQUENTIAL_CALLS['Trigger']} calls; its cold start is counted below", 0.0, 0.0),
        (f"Cold starts on the critical path ({len(CRITICAL_PATH)} functions, {memory} MB, "
         f"{'ReadyToRun' if ready_to_run else 'JIT'}: {cold_start:.2f} s each)",
         ", ".join(name for name, _ in CRITICAL_PATH), cold, cold),
        ("Sequential calls", f"{sum(SEQUENTIAL_CALLS.values())} calls × {args.call:g} s", calls, calls),
        ("Poll detection: recovery", f"DatabasePollSeconds {database}, ServerPollSeconds {server} (the later branch)",
         recovery_average, recovery_worst),
        ("Poll detection: traffic", f"TrafficPollSeconds {traffic}", traffic / 2, traffic),
        ("Notifications on the critical path", "Notify start (its cold start and Publish are counted above); "
         "Notify recovery, traffic switched and succeeded come after traffic moved or are warm", 0.0, 0.0),
    ]
    goal = 5.0
    lines = [
        "# RTO budget: the orchestrator's own share on AWS",
        "",
        "Written by `python3 tools/rto-budget.py"
        + (f" --poll {args.poll}" if args.poll is not None else "")
        + (f" --cold-start {args.cold_start:g}" if args.cold_start != 1.0 else "")
        + (f" --call {args.call:g}" if args.call != 0.05 else "")
        + (f" --ready-to-run-factor {args.ready_to_run_factor:g}" if args.ready_to_run_factor != 0.71 else "")
        + "`; do not edit by hand.",
        "",
        "The time Failover adds to a failover of the standard plan (one RDS replica, one DRS wave, one switch) on top of",
        "what AWS itself takes (the promotion, the DRS launch, Route 53 noticing the switch), from the alarm entering",
        "ALARM to traffic moved. Left out as the team's choice, not overhead: the trigger's `sustainSeconds` and the",
        "approval step (`requireApproval`).",
        "",
        "| phase | from | average s | worst s |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {phase} | {source} | {average:.1f} | {worst:.1f} |" for phase, source, average, worst in rows]
    lines += [
        f"| **total** | | **{total_average:.1f}** | **{total_worst:.1f}** |",
        "",
        f"Goal: at most {goal:g} s. "
        + ("Met." if total_worst <= goal else
           f"Not met: {total_average:.1f} s on average, {total_worst:.1f} s at worst."),
        "",
        "## Where each figure comes from",
        "",
        "- Poll intervals: `template.yaml` parameter defaults"
        + (f" (overridden here: every poll {args.poll} s)" if args.poll is not None else "")
        + ". A completion falls anywhere within an interval: half of it on average, all of it at worst; with equal",
        "  database and server polls the later branch waits two thirds of an interval on average.",
        "- Functions on the critical path: `statemachines/failover.asl.json`; the merge after the parallel recovery is",
        "  done by Pass states (no function), and Switch traffic looks at Route 53 right after flipping.",
        f"- Cold start: {args.cold_start:g} s per function with JIT, an input (`--cold-start`): it cannot be measured without an",
        "  AWS account. Every function is cold in a real failover because failovers are rare."
        + (f" The package is ReadyToRun (`PublishReadyToRun` in functions/Failover.Functions): {args.ready_to_run_factor:g} of that"
           " (`--ready-to-run-factor`), from whole-process cold starts of the Functions assembly on an x64 machine; arm64 on"
           " Lambda is not measured." if ready_to_run else ""),
        f"- AWS API call: {args.call:g} s each within the region, an input (`--call`); the calls a step makes side by",
        "  side (databases and switches in bounded parallel) count once.",
        "",
    ]
    pathlib.Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    print(f"{args.output}: {total_average:.1f} s average, {total_worst:.1f} s worst (goal {goal:g} s)")


if __name__ == "__main__":
    main()
