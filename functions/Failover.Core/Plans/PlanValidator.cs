using System.Text.RegularExpressions;

namespace Failover.Core.Plans;

/// <summary>One problem in a plan, located by its JSON path and, when it was read from a document, its line and column (from 1).</summary>
public sealed record PlanError(string Path, string Message, int? Line = null, int? Column = null)
{
    /// <summary><c>PATH: message</c>, or <c>PATH (line L, column C): message</c> when the position is known.</summary>
    public override string ToString() => Line is { } line ? $"{Path} (line {line}, column {Column}): {Message}" : $"{Path}: {Message}";
}

/// <summary>Checks a plan completely and reports every error, never just the first.</summary>
public static partial class PlanValidator
{
    // StartRecovery's model limit on sourceServers (botocore drs 2020-02-26).
    private const int MaxServersPerStartRecovery = 200;

    // DRS recovery plans allow 20 steps; more waves than that would be a plan to split.
    private const int MaxWaves = 20;

    // A wait longer than an hour belongs to a person's decision, not to a plan.
    private const int MaxWaitAfterSeconds = 3600;

    // Patterns end with \z, not $: .NET's $ also matches before a final newline ("us-west-2\n" passed).
    [GeneratedRegex(@"^[A-Za-z0-9-]{1,40}\z")]
    private static partial Regex PlanNamePattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9-]{0,62}\z")]
    private static partial Regex DbIdentifierPattern();

    [GeneratedRegex(@"^[A-Za-z][0-9A-Za-z-:._]{0,254}\z")]
    private static partial Regex GlobalClusterIdentifierPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster:[A-Za-z][A-Za-z0-9-]{0,62}\z")]
    private static partial Regex ClusterArnPattern();

    [GeneratedRegex(@"^s-[0-9a-zA-Z]{17}\z")]
    private static partial Regex SourceServerIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}\z")]
    private static partial Regex SwitchIdPattern();

    /// <summary>Returns every error in <paramref name="plan"/>; empty when valid.</summary>
    public static IReadOnlyList<PlanError> Validate(RecoveryPlan plan)
    {
        var errors = new List<PlanError>();
        Require(errors, PlanNamePattern().IsMatch(plan.Name), "$.name", "must be 1-40 letters, digits or hyphens");
        RequireSupportedRegion(errors, plan.PrimaryRegion, "$.primaryRegion");
        RequireSupportedRegion(errors, plan.RecoveryRegion, "$.recoveryRegion");
        Require(errors, plan.PrimaryRegion != plan.RecoveryRegion, "$.recoveryRegion", "must differ from primaryRegion");
        Require(errors, plan.Objectives.RtoSeconds > 0, "$.objectives.rtoSeconds", "must be greater than 0");
        Require(errors, plan.Objectives.RpoSeconds >= 0, "$.objectives.rpoSeconds", "must be 0 or more");
        Require(errors, plan.Objectives.DrillWithinDays is >= 1 and <= 3650, "$.objectives.drillWithinDays", "must be 1-3650 days");
        ValidateDataLoss(plan.DataLoss, errors);
        Require(errors, plan.DatabaseConcurrency is >= 1 and <= 50, "$.databaseConcurrency", "must be 1-50");
        var serverCount = plan.Waves.Sum(w => w is null ? 0 : w.SourceServerIds.Count + w.Tags.Count);
        Require(errors, plan.Databases.Count + plan.Switches.Count + serverCount > 0, "$", "plan has nothing to fail over: add databases, servers or switches");

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Databases.Count; i++)
        {
            ValidateDatabase(plan.Databases[i], $"$.databases[{i}]", plan.RecoveryRegion, ids, errors);
        }

        var quotas = ValidateQuotas(plan.DrsQuotas, errors);
        if (plan.Servers is { } waves)
        {
            ValidateWaves(waves, quotas, errors);
        }

        for (var i = 0; i < plan.Switches.Count; i++)
        {
            ValidateSwitch(plan.Switches[i], $"$.switches[{i}]", ids, errors);
        }

        ValidateCapacity(plan.Capacity, errors);
        ValidateTrigger(plan.Trigger, errors);
        return errors;
    }

    private static void ValidateDataLoss(DataLossPolicy? policy, List<PlanError> errors)
    {
        if (policy is null)
        {
            errors.Add(new PlanError("$.dataLoss", "must not be null"));
            return;
        }

        Require(errors, policy.UnattendedBudgetSeconds is null or >= 0, "$.dataLoss.unattendedBudgetSeconds", "must be 0 or more");
        Require(errors, policy.WhenOverBudget is DataLossActions.AskApproval or DataLossActions.Block, "$.dataLoss.whenOverBudget",
            $"must be '{DataLossActions.AskApproval}' or '{DataLossActions.Block}'");
        Require(errors, policy.WhenUnknown is DataLossActions.AskApproval or DataLossActions.Block or DataLossActions.Proceed, "$.dataLoss.whenUnknown",
            $"must be '{DataLossActions.AskApproval}', '{DataLossActions.Block}' or '{DataLossActions.Proceed}'");
    }

    private static void ValidateDatabase(DatabaseTarget? db, string path, string recoveryRegion, HashSet<string> ids, List<PlanError> errors)
    {
        if (db is null)
        {
            errors.Add(new PlanError(path, "must not be null"));
            return;
        }

        Require(errors, ids.Add(db.Id), $"{path}.id", $"'{Printable(db.Id)}' is listed twice");
        Require(errors, db.Drill is null or DrillMethods.Verify || (db.Drill == DrillMethods.Copy && db.Kind == DatabaseKinds.RdsInstanceReplica), $"{path}.drill",
            $"must be '{DrillMethods.Verify}', or '{DrillMethods.Copy}' for {DatabaseKinds.RdsInstanceReplica}");
        Require(errors, db.DrillMethod != DrillMethods.Copy || db.Id.Length <= 48, $"{path}.id", "at most 48 characters: a drill copy's identifier adds 15");
        switch (db.Kind)
        {
            case DatabaseKinds.RdsInstanceReplica:
                Require(errors, DbIdentifierPattern().IsMatch(db.Id), $"{path}.id", $"'{Printable(db.Id)}' is not a DB instance identifier");
                Require(errors, db.TargetClusterArn is null, $"{path}.targetClusterArn", "only for aurora-global");
                break;
            case DatabaseKinds.AuroraClusterReplica:
                Require(errors, DbIdentifierPattern().IsMatch(db.Id), $"{path}.id", $"'{Printable(db.Id)}' is not a DB cluster identifier");
                Require(errors, db.TargetClusterArn is null, $"{path}.targetClusterArn", "only for aurora-global");
                break;
            case DatabaseKinds.AuroraGlobal:
                Require(errors, GlobalClusterIdentifierPattern().IsMatch(db.Id), $"{path}.id", $"'{Printable(db.Id)}' is not a global cluster identifier");
                if (db.TargetClusterArn is not { } arn || !ClusterArnPattern().IsMatch(arn))
                {
                    errors.Add(new PlanError($"{path}.targetClusterArn", "is required: the ARN of the secondary cluster in the recovery region"));
                }
                else
                {
                    RequireSupportedArn(errors, arn, $"{path}.targetClusterArn");
                    var clusterRegion = Arn.Parse(arn).Region;
                    Require(errors, clusterRegion == recoveryRegion, $"{path}.targetClusterArn", $"cluster is in {clusterRegion}, not the recovery region {recoveryRegion}");
                }

                break;
            default:
                errors.Add(new PlanError($"{path}.kind", $"unknown kind '{db.Kind}'; expected one of {string.Join(", ", DatabaseKinds.All)}"));
                break;
        }
    }

    // The quotas to check servers against: the plan's where valid; an invalid figure is reported once, not again for every server setting.
    private static DrsQuotas ValidateQuotas(DrsQuotas? quotas, List<PlanError> errors)
    {
        if (quotas is null)
        {
            errors.Add(new PlanError("$.drsQuotas", "must not be null"));
            return new DrsQuotas();
        }

        var perJobValid = quotas.ServersPerJob is >= 1 and <= MaxServersPerStartRecovery;
        var inActiveValid = quotas.ServersInActiveJobs >= 1;
        var jobsValid = quotas.ConcurrentJobs >= 1;
        var sourceValid = quotas.SourceServers >= 1;
        Require(errors, perJobValid, "$.drsQuotas.serversPerJob", $"must be 1-{MaxServersPerStartRecovery} (StartRecovery takes at most {MaxServersPerStartRecovery} servers)");
        Require(errors, inActiveValid, "$.drsQuotas.serversInActiveJobs", "must be 1 or more");
        Require(errors, jobsValid, "$.drsQuotas.concurrentJobs", "must be 1 or more");
        Require(errors, sourceValid, "$.drsQuotas.sourceServers", "must be 1 or more");
        return new DrsQuotas
        {
            ServersPerJob = perJobValid ? quotas.ServersPerJob : MaxServersPerStartRecovery,
            ServersInActiveJobs = inActiveValid ? quotas.ServersInActiveJobs : int.MaxValue,
            ConcurrentJobs = jobsValid ? quotas.ConcurrentJobs : int.MaxValue,
            SourceServers = sourceValid ? quotas.SourceServers : int.MaxValue,
        };
    }

    // The single-group form is reported at $.servers, waves at $.servers[i]; ids are unique across waves (a server launches once).
    private static void ValidateWaves(IReadOnlyList<ServerGroup> waves, DrsQuotas quotas, List<PlanError> errors)
    {
        Require(errors, waves.Count <= MaxWaves, "$.servers", $"at most {MaxWaves} waves");
        Require(errors, waves is not [], "$.servers", "an empty array of waves: list at least one, or leave servers out");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var w = 0; w < waves.Count; w++)
        {
            var path = waves.Count == 1 ? "$.servers" : $"$.servers[{w}]";
            if (waves[w] is not { } wave)
            {
                errors.Add(new PlanError(path, "must not be null"));
                continue;
            }

            ValidateWave(wave, path, quotas, seen, errors);
            Require(errors, wave.Name is null || SwitchIdPattern().IsMatch(wave.Name), $"{path}.name", "must be 1-64 letters, digits, '-', '_' or '.'");
            Require(errors, names.Add(ServerWaves.Name(wave, w)), $"{path}.name", $"'{ServerWaves.Name(wave, w)}' names two waves");
        }

        var listed = waves.Sum(w => w?.SourceServerIds.Count ?? 0);
        Require(errors, listed <= quotas.SourceServers, "$.servers",
            $"{listed} servers exceed the DRS quota of {quotas.SourceServers} source servers per account (L-E28BE5E0, $.drsQuotas.sourceServers)");
    }

    private static void ValidateWave(ServerGroup servers, string path, DrsQuotas quotas, HashSet<string> seen, List<PlanError> errors)
    {
        Require(errors, servers.SourceServerIds.Count + servers.Tags.Count > 0, path, "select servers by sourceServerIds and/or tags");
        Require(errors, servers.WaitAfterSeconds is >= 0 and <= MaxWaitAfterSeconds, $"{path}.waitAfterSeconds", $"must be 0-{MaxWaitAfterSeconds}");
        Require(errors, servers.BatchSize >= 1, $"{path}.batchSize", "must be 1 or more");
        Require(errors, servers.BatchSize <= quotas.ServersPerJob, $"{path}.batchSize",
            $"{servers.BatchSize} exceeds the DRS quota of {quotas.ServersPerJob} source servers in a single job (L-B827C881, $.drsQuotas.serversPerJob)");
        Require(errors, servers.BatchSize <= quotas.ServersInActiveJobs, $"{path}.batchSize",
            $"{servers.BatchSize} exceeds the DRS quota of {quotas.ServersInActiveJobs} source servers in all active jobs (L-05AFA8C6, $.drsQuotas.serversInActiveJobs)");
        Require(errors, servers.MaxConcurrentJobs >= 1, $"{path}.maxConcurrentJobs", "must be 1 or more");
        Require(errors, servers.MaxConcurrentJobs <= quotas.ConcurrentJobs, $"{path}.maxConcurrentJobs",
            $"{servers.MaxConcurrentJobs} exceeds the DRS quota of {quotas.ConcurrentJobs} concurrent jobs per account (L-D88FAC3A, $.drsQuotas.concurrentJobs)");
        RequireValues(errors, servers.Tags, $"{path}.tags");
        var own = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < servers.SourceServerIds.Count; i++)
        {
            var id = servers.SourceServerIds[i] ?? "";
            Require(errors, SourceServerIdPattern().IsMatch(id), $"{path}.sourceServerIds[{i}]", $"'{Printable(id)}' is not a source server id (s- and 17 characters)");
            own.Add(id);
            Require(errors, seen.Add(id), $"{path}.sourceServerIds[{i}]", $"'{Printable(id)}' is listed twice");
        }

        for (var i = 0; i < servers.CriticalServerIds.Count; i++)
        {
            var id = servers.CriticalServerIds[i] ?? "";
            Require(errors, SourceServerIdPattern().IsMatch(id), $"{path}.criticalServerIds[{i}]", $"'{id}' is not a source server id");
            Require(errors, servers.Tags.Count > 0 || own.Contains(id), $"{path}.criticalServerIds[{i}]", $"'{id}' is not among sourceServerIds");
        }
    }

    private static void ValidateSwitch(TrafficSwitchTarget? sw, string path, HashSet<string> ids, List<PlanError> errors)
    {
        if (sw is null)
        {
            errors.Add(new PlanError(path, "must not be null"));
            return;
        }

        Require(errors, SwitchIdPattern().IsMatch(sw.Id), $"{path}.id", "must be 1-64 letters, digits, '-', '_' or '.'");
        Require(errors, ids.Add(sw.Id), $"{path}.id", $"'{sw.Id}' is listed twice");
        switch (sw.Kind)
        {
            case SwitchKinds.SwitchMetric:
                Require(errors, sw.Namespace.Length is > 0 and <= 255 && !sw.Namespace.StartsWith("AWS/", StringComparison.Ordinal), $"{path}.namespace", "must be 1-255 characters and not start with 'AWS/'");
                Require(errors, sw.MetricName.Length is > 0 and <= 255, $"{path}.metricName", "must be 1-255 characters");
                Require(errors, sw.Dimensions.Count <= 30, $"{path}.dimensions", "at most 30 dimensions");
                Require(errors, double.IsFinite(sw.FailoverValue), $"{path}.failoverValue", "must be a finite number");
                RequireValues(errors, sw.Dimensions, $"{path}.dimensions");

                // The switch alarm is what the Route 53 health check follows; a drill verifies it (SwitchVerifier) and
                // without it the metric moves nothing a drill can check.
                Require(errors, sw.AlarmName is { Length: > 0 and <= 255 }, $"{path}.alarmName",
                    "is required for switch-metric: the 1-255 character name of the alarm on the switch metric that the Route 53 health check follows (drills verify it)");
                RequireGuardedRecord(errors, sw, path);
                break;
            case SwitchKinds.HealthCheckInvert:
                Require(errors, sw.HealthCheckId is { Length: > 0 and <= 64 }, $"{path}.healthCheckId", "is required");
                RequireGuardedRecord(errors, sw, path);
                break;
            case SwitchKinds.RecordUpsert:
                Require(errors, sw.HostedZoneId is { Length: > 0 and <= 32 }, $"{path}.hostedZoneId", "is required");
                if (sw.Record is not { } record)
                {
                    errors.Add(new PlanError($"{path}.record", "is required"));
                    break;
                }

                Require(errors, record.Name.Length is > 0 and <= 1024, $"{path}.record.name", "is required");
                Require(errors, record.Type is "A" or "AAAA" or "CNAME" or "TXT" or "MX" or "SRV" or "NS" or "CAA" or "PTR" or "SPF" or "NAPTR" or "DS", $"{path}.record.type", $"'{record.Type}' is not a record type");
                Require(errors, record.Ttl is >= 0 and <= 2147483647, $"{path}.record.ttl", "must be 0 or more");
                Require(errors, record.Values.Count is >= 1 and <= 1000, $"{path}.record.values", "must hold 1-1000 values");
                for (var i = 0; i < record.Values.Count; i++)
                {
                    Require(errors, !string.IsNullOrEmpty(record.Values[i]), $"{path}.record.values[{i}]", "must be a value, not null or empty");
                }

                Require(errors, record.Failover is null or "PRIMARY" or "SECONDARY", $"{path}.record.failover", "must be PRIMARY or SECONDARY");
                Require(errors, record.Failover is null || record.SetIdentifier is { Length: > 0 and <= 128 }, $"{path}.record.setIdentifier", "is required for a failover record");
                break;
            default:
                errors.Add(new PlanError($"{path}.kind", $"unknown kind '{sw.Kind}'; expected one of {string.Join(", ", SwitchKinds.All)}"));
                break;
        }
    }

    // A health check moves traffic only through the failover record it guards: without one named, the switch would flip
    // and nothing would answer differently, which only the day would show.
    private static void RequireGuardedRecord(List<PlanError> errors, TrafficSwitchTarget sw, string path)
    {
        Require(errors, sw.HostedZoneId is { Length: > 0 and <= 32 }, $"{path}.hostedZoneId",
            $"is required for {sw.Kind}: the 1-32 character id of the hosted zone holding the PRIMARY failover record the health check guards");
        Require(errors, sw.RecordName is { Length: > 0 and <= 1024 }, $"{path}.recordName",
            $"is required for {sw.Kind}: the 1-1024 character DNS name of the PRIMARY failover record the health check guards");
    }

    // Names and values of a string map (tags, dimensions): a null value would reach AWS as nothing.
    private static void RequireValues(List<PlanError> errors, IReadOnlyDictionary<string, string> map, string path)
    {
        foreach (var (name, value) in map)
        {
            Require(errors, value is not null, JsonText.Member(path, name), "must be a string, not null");
        }
    }

    /// <summary>The text with control characters written as escapes, so that a message stays on one line.</summary>
    internal static string Printable(string text) =>
        text.Any(char.IsControl)
            ? string.Concat(text.Select(c => c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            }))
            : text;
}
