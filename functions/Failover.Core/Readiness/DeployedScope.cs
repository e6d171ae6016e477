using Failover.Core.Plans;

namespace Failover.Core.Readiness;

/// <summary>
/// The resources the deployed roles may act on: the template parameters ReplicaInstanceArns, ReplicaClusterArns,
/// GlobalClusterArns, HealthCheckArns and HostedZoneArns, which scope the promote and switch roles' statements.
/// The Readiness function gets the same parameters as environment variables rather than reading the other roles'
/// policies (iam:GetRolePolicy): its role stays read-only on the plan's resources, and a scope taken from the same
/// parameter values cannot differ from what the roles allow. Entries may hold * as IAM's resource wildcard
/// (reference_policies_elements_resource.html: "*" any characters, "?" one character); "none" means no entry.
/// </summary>
public sealed record DeployedScope
{
    /// <summary>ReplicaInstanceArns: the RDS read replicas the promote role may promote.</summary>
    public IReadOnlyList<string> ReplicaInstanceArns { get; init; } = [];

    /// <summary>ReplicaClusterArns: Aurora replica clusters and the global databases' secondary clusters in this region.</summary>
    public IReadOnlyList<string> ReplicaClusterArns { get; init; } = [];

    /// <summary>GlobalClusterArns: the Aurora global databases the promote role may fail or switch over.</summary>
    public IReadOnlyList<string> GlobalClusterArns { get; init; } = [];

    /// <summary>HealthCheckArns: the health checks the switch role may update.</summary>
    public IReadOnlyList<string> HealthCheckArns { get; init; } = [];

    /// <summary>HostedZoneArns: the hosted zones the switch role may change records in.</summary>
    public IReadOnlyList<string> HostedZoneArns { get; init; } = [];

    /// <summary>Reads a comma-delimited parameter value ("none" or empty: no entry).</summary>
    public static IReadOnlyList<string> ParseList(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(t => t != "none")];

    /// <summary>True when <paramref name="arn"/> matches one of <paramref name="patterns"/> (IAM's * and ? wildcards, case-sensitive).</summary>
    public static bool Covers(IReadOnlyList<string> patterns, string arn) => patterns.Any(p => IamWildcard.Matches(p, arn, ignoreCase: false));

    /// <summary>
    /// What the plan needs the roles to act on and they do not: one (resource, ARN, parameter) per uncovered resource.
    /// Database ARNs are built in the recovery region and the plan's trigger account, as the template's parameters are.
    /// </summary>
    public IReadOnlyList<(string Resource, string Arn, string Parameter)> Uncovered(RecoveryPlan plan)
    {
        var account = plan.Trigger.AccountId;
        var missing = new List<(string, string, string)>();
        void Need(string resource, string arn, IReadOnlyList<string> scope, string parameter)
        {
            if (!Covers(scope, arn))
            {
                missing.Add((resource, arn, parameter));
            }
        }

        foreach (var db in plan.Databases)
        {
            switch (db.Kind)
            {
                case DatabaseKinds.RdsInstanceReplica:
                    Need(db.Id, $"arn:aws:rds:{plan.RecoveryRegion}:{account}:db:{db.Id}", ReplicaInstanceArns, "ReplicaInstanceArns");
                    break;
                case DatabaseKinds.AuroraClusterReplica:
                    Need(db.Id, $"arn:aws:rds:{plan.RecoveryRegion}:{account}:cluster:{db.Id}", ReplicaClusterArns, "ReplicaClusterArns");
                    break;
                default:
                    Need(db.Id, $"arn:aws:rds::{account}:global-cluster:{db.Id}", GlobalClusterArns, "GlobalClusterArns");
                    Need(db.Id, db.TargetClusterArn!, ReplicaClusterArns, "ReplicaClusterArns");
                    break;
            }
        }

        foreach (var sw in plan.Switches)
        {
            if (sw.Kind == SwitchKinds.HealthCheckInvert)
            {
                Need(sw.Id, $"arn:aws:route53:::healthcheck/{sw.HealthCheckId}", HealthCheckArns, "HealthCheckArns");
            }
            else if (sw.Kind == SwitchKinds.RecordUpsert)
            {
                Need(sw.Id, $"arn:aws:route53:::hostedzone/{sw.HostedZoneId}", HostedZoneArns, "HostedZoneArns");
            }
        }

        return missing;
    }
}
