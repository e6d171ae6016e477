#!/usr/bin/env python3
"""Writes docs/rto-budget.md: the orchestrator's own share of a failover's RTO on AWS, phase by phase.

The figures come from the deployed settings (template.yaml parameter defaults, the functions' memory), the state machine
(statemachines/failover.asl.json: which functions run one after another before traffic moves) and the inputs below,
each with where it comes from. The time AWS itself takes (a promotion, a DRS launch, Route 53 noticing a switch) is not
the orchestrator's and is left out; so are the policy delays a team chooses (the trigger's sustain period, approval).

    python3 tools/rto-budget.py [--cold-start SECONDS] [--call SECONDS] [--poll SECONDS] [--interval-ms MILLISECONDS]

--poll sets every wait between check invocations (DatabasePollSeconds, ServerPollSeconds, TrafficPollSeconds) and
--interval-ms the looks' interval within one invocation (CheckIntervalMilliseconds) instead of the template's
defaults, to show what another deployment would get.
"""
import argparse
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The functions whose cold start lies on the way from the alarm to traffic moved, in order; parallel branches count
# once (the slower). Each is its own Lambda function, cold in a real failover (failovers are rare). Not on it:
# - Notify start, invoked asynchronously (InvocationType Event): the workflow waits for Lambda to accept the event only
#   (its Invoke call is counted below);
# - Check databases and Check recovery: first invoked a poll after the promotion or the DRS launch began, and those take
#   minutes ("several minutes or longer", Amazon RDS User Guide, "Promoting a read replica to be a standalone DB
#   instance"; a DRS launch boots and converts an EC2 instance), so they are warm when the completion comes;
# - Check traffic: Switch traffic keeps looking at Route 53 itself for the whole watch window.
# Notify recovery is invoked asynchronously too (its Invoke is counted below), and the notifications after traffic
# moved are not on the way.
CRITICAL_PATH = [
    ("Trigger", None),
    ("Prepare", "Prepare"),
    ("Promote databases or Start recovery", "Recover"),
    ("Switch traffic", "Switch traffic"),
]

# Calls each critical step makes one after another (not side by side), for the standard plan (one database, one DRS
# wave in one batch, one switch): Prepare reads the database, its lag, the servers and the switch's records side by
# side; Notify start is one Invoke; each promotion or batch is one call after its reads; the look that sees the
# completion is one call; Switch traffic flips and looks.
SEQUENTIAL_CALLS = {
    "Trigger": 2,  # DescribeAlarms (quorum) beside ListExecutions (in flight, cooldown), then StartExecution
    "Prepare": 1,  # DescribeDBInstances beside GetMetricData (lag), DescribeSourceServers and ListResourceRecordSets
    "Notify start": 1,  # Lambda Invoke, InvocationType Event
    # Promote: DescribeDBInstances then PromoteReadReplica; Start recovery: DescribeSourceServers beside DescribeJobs
    # (the account's active jobs, the run's own), then StartRecovery. Side by side, so once.
    "Promote databases or Start recovery": 2,
    "Check databases or Check recovery": 1,  # the look that sees the completion
    "Notify recovery": 1,  # Lambda Invoke, InvocationType Event
    "Switch traffic": 2,  # PutMetricData, GetHealthCheckStatus
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
    parser.add_argument("--poll", type=int, help="every wait between check invocations, in seconds, instead of the template's defaults")
    parser.add_argument("--interval-ms", type=int, help="the looks' interval within a check invocation, in milliseconds, instead of CheckIntervalMilliseconds' default")
    parser.add_argument("--output", default=str(ROOT / "docs" / "rto-budget.md"))
    args = parser.parse_args()

    template = (ROOT / "template.yaml").read_text(encoding="utf-8")
    machine = json.loads((ROOT / "statemachines" / "failover.asl.json").read_text(encoding="utf-8"))
    states = dict(machine["States"])
    for branch in machine["States"]["Recover"]["Branches"]:
        states.update(branch["States"])
    for name, state in CRITICAL_PATH:
        if state is not None and state not in states:
            sys.exit(f"statemachines/failover.asl.json has no state '{state}' ({name}): update CRITICAL_PATH")
    if "Merge recovery" in machine["States"] and machine["States"]["Merge recovery"]["Type"] != "Pass":
        sys.exit("'Merge recovery' is a function again: add it to CRITICAL_PATH")
    for notice in ("Notify start", "Notify recovery"):
        if states[notice].get("Parameters", {}).get("InvocationType") != "Event":
            sys.exit(f"'{notice}' waits for the Notify function again: add it to CRITICAL_PATH")

    polls = {p: args.poll if args.poll is not None else template_default(template, p)
             for p in ("DatabasePollSeconds", "ServerPollSeconds", "TrafficPollSeconds")}
    interval = (args.interval_ms if args.interval_ms is not None else template_default(template, "CheckIntervalMilliseconds")) / 1000
    memory = re.search(r"^    MemorySize: (\d+)", template, re.MULTILINE).group(1)
    timeout = int(re.search(r"^    Timeout: (\d+)", template, re.MULTILINE).group(1))
    window = timeout - 15  # FunctionSettings.WaitBudget: the timeout less the work margin

    ready_to_run = "<PublishReadyToRun" in (ROOT / "functions" / "Failover.Functions" / "Failover.Functions.csproj").read_text(encoding="utf-8")
    cold_start = args.cold_start * (args.ready_to_run_factor if ready_to_run else 1.0)
    cold = len(CRITICAL_PATH) * cold_start
    calls = sum(SEQUENTIAL_CALLS.values()) * args.call
    # Within a check invocation the looks come every `interval`: a completion is seen half an interval later on
    # average, a whole one at worst; of the two recovery branches the later one counts (two equal uniform delays: the
    # larger averages two thirds of an interval). Switch traffic keeps looking itself, so traffic is the same.
    recovery_average, recovery_worst = (2 / 3) * interval, interval
    traffic_average, traffic_worst = interval / 2, interval
    total_average = cold + calls + recovery_average + traffic_average
    total_worst = cold + calls + recovery_worst + traffic_worst
    # The gap: between two check invocations the workflow waits *PollSeconds; a completion in it is seen by the next
    # (warm) invocation's first look. Its chance per phase is the gap's share of the cycle.
    gap = max(polls.values())
    gap_chance = gap / (window + gap)
    gap_extra = gap + args.call - interval

    rows = [
        ("Trigger decision", f"{SEQUENTIAL_CALLS['Trigger']} calls; its cold start is counted below", 0.0, 0.0),
        (f"Cold starts on the critical path ({len(CRITICAL_PATH)} functions, {memory} MB, "
         f"{'ReadyToRun' if ready_to_run else 'JIT'}: {cold_start:.2f} s each)",
         ", ".join(name for name, _ in CRITICAL_PATH), cold, cold),
        ("Sequential calls", f"{sum(SEQUENTIAL_CALLS.values())} calls × {args.call:g} s", calls, calls),
        ("Completion detection: recovery", f"looks every {interval * 1000:g} ms within a check (CheckIntervalMilliseconds); the later branch",
         recovery_average, recovery_worst),
        ("Completion detection: traffic", f"Switch traffic looks every {interval * 1000:g} ms for up to {window} s",
         traffic_average, traffic_worst),
        ("Notifications on the critical path", "Notify start and Notify recovery are asynchronous (their Invokes are "
         "counted above); traffic switched and succeeded come after traffic moved", 0.0, 0.0),
    ]
    goal = 5.0
    lines = [
        "# RTO budget: the orchestrator's own share on AWS",
        "",
        "Written by `python3 tools/rto-budget.py"
        + (f" --poll {args.poll}" if args.poll is not None else "")
        + (f" --interval-ms {args.interval_ms}" if args.interval_ms is not None else "")
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
    lines += [f"| {phase} | {source} | {average:.2f} | {worst:.2f} |" for phase, source, average, worst in rows]
    lines += [
        f"| **total** | | **{total_average:.1f}** | **{total_worst:.1f}** |",
        "",
        f"Goal: at most {goal:g} s. "
        + ("Met" if total_worst <= goal else
           f"Not met: {total_average:.1f} s on average, {total_worst:.1f} s at worst")
        + f". A completion that falls in the {gap} s wait between two check invocations (a {gap_chance:.0%} chance per"
        f" phase: {gap} s in every {window + gap} s) is seen {gap_extra:.2f} s later than the worst above, by the next"
        " invocation's first look (that function is warm: it ran a second before).",
        "",
        "## Where each figure comes from",
        "",
        f"- Looks within a check: every `CheckIntervalMilliseconds` ({interval * 1000:g} ms"
        + (", overridden here" if args.interval_ms is not None else ", the template's default")
        + f") for up to {window} s (the functions' {timeout} s timeout less the 15 s work margin), spaced further when",
        "  a look needs more calls than half of the service's request rate allows (RDS: 12 per second, \"Request",
        "  throttling for the Amazon RDS API\"; Route 53: 10 per second per account, \"Throttling for Amazon Route 53 API",
        "  requests\"). A completion falls anywhere within an interval: half of it on average, all of it at worst; the",
        "  later of the two recovery branches waits two thirds of an interval on average.",
        "- Waits between check invocations: `template.yaml` parameter defaults (`DatabasePollSeconds`, `ServerPollSeconds`,"
        " `TrafficPollSeconds`)" + (f", overridden here: {args.poll} s" if args.poll is not None else "") + ".",
        "- Functions on the critical path: `statemachines/failover.asl.json`; the merge after the parallel recovery is",
        "  done by Pass states (no function), Notify start and Notify recovery are invoked asynchronously, and the check functions are warm",
        "  when a promotion or a launch completes: they start a poll after it began, and a promotion takes \"several",
        "  minutes or longer\" (Amazon RDS User Guide, \"Promoting a read replica to be a standalone DB instance\").",
        f"- Cold start: {args.cold_start:g} s per function with JIT, an input (`--cold-start`): it cannot be measured without an",
        "  AWS account. Every function is cold in a real failover because failovers are rare."
        + (f" The package is ReadyToRun (`PublishReadyToRun` in functions/Failover.Functions): {args.ready_to_run_factor:g} of that"
           " (`--ready-to-run-factor`), from whole-process cold starts of the Functions assembly on an x64 machine; arm64 on"
           " Lambda is not measured." if ready_to_run else ""),
        f"- AWS API call: {args.call:g} s each within the region, an input (`--call`); the calls a step makes side by",
        "  side (databases and switches in bounded parallel) count once.",
        "- Not counted, for want of a documented figure: EventBridge's delivery of the alarm's state change to the",
        "  Trigger, and Step Functions' own time per state transition (about 20 on the way, Pass and Choice states",
        "  included). The local simulation measures the equivalent on its own engine (`simulation.rtoToBound`).",
        "",
    ]
    pathlib.Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    print(f"{args.output}: {total_average:.1f} s average, {total_worst:.1f} s worst (goal {goal:g} s)")


if __name__ == "__main__":
    main()
