using Failover.Core.Ports;

namespace Failover.Core.Services;

/// <summary>
/// Whether RDS can create the drill's copy of a read replica, which is a read replica of that replica (a cascading
/// replica). USER_ReadRepl.html ("Creating a read replica from another read replica" and the per-engine pages):
/// MySQL and MariaDB need automated backups on the replica (backup retention greater than 0); PostgreSQL from
/// 14.1; Oracle and SQL Server do not support a replica of a replica. aws-facts §20.
/// </summary>
public static class DrillCopyRules
{
    private static readonly Version FirstPostgresWithCascadingReplicas = new(14, 1);

    /// <summary>Why RDS would refuse to copy <paramref name="replica"/> for a drill, or null when it can (or the facts are not reported).</summary>
    public static string? Refusal(DatabaseInstanceState replica)
    {
        var engine = replica.Engine ?? "";
        if (engine is "mysql" or "mariadb")
        {
            return replica.BackupRetentionPeriod is 0
                ? $"a drill copies '{replica.Id}' as a read replica of it, which {engine} allows only with automated backups on the replica (backup retention 0); turn them on or set its drill to verify"
                : null;
        }

        if (engine.StartsWith("oracle", StringComparison.Ordinal) || engine.StartsWith("sqlserver", StringComparison.Ordinal))
        {
            return $"a drill copies '{replica.Id}' as a read replica of it, which {engine} does not support; set its drill to verify";
        }

        if (engine == "postgres" && replica.EngineVersion is { } text && Version.TryParse(Numeric(text), out var version) && version < FirstPostgresWithCascadingReplicas)
        {
            return $"a drill copies '{replica.Id}' as a read replica of it, which PostgreSQL supports from 14.1 (this is {text}); upgrade it or set its drill to verify";
        }

        return null;
    }

    /// <summary>"13.7" as is, "14" as "14.0", "14.1.R1" as "14.1" (Version needs two numeric parts).</summary>
    private static string Numeric(string engineVersion)
    {
        var parts = engineVersion.Split('.').TakeWhile(p => p.Length > 0 && p.All(char.IsAsciiDigit)).Take(2).ToList();
        return parts.Count == 1 ? parts[0] + ".0" : string.Join('.', parts);
    }
}
