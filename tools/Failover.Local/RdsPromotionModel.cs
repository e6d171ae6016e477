using System.Collections.Concurrent;
using System.Xml.Linq;

namespace Failover.Local;

/// <summary>
/// Makes moto's RDS promotions behave like RDS ("Promoting a read replica", USER_ReadRepl.Promote.html;
/// API_PromoteReadReplica.html): moto flips a promoted replica at once and keeps reporting its
/// ReadReplicaSourceDBInstanceIdentifier; RDS modifies it, reboots it, takes a backup when the replica had none
/// (promotion enables automated backups; the backup's length grows with the data), and only then reports an available,
/// standalone instance. No AWS page gives the phases' durations ("several minutes or longer"): they are settings,
/// scaled down so local runs take seconds. The gateway records promotions and rewrites DescribeDBInstances replies.
/// </summary>
public sealed class RdsPromotionModel(TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Region, string Id), DateTimeOffset> _promotedAt = new();

    /// <summary>How long a promoted replica stays "modifying", still naming its source.</summary>
    public TimeSpan PromotionDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long it then reboots ("rebooting"), standalone but not yet available.</summary>
    public TimeSpan RebootDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the first backup takes ("backing-up") when the replica had no automated backups (BackupRetentionPeriod 0).</summary>
    public TimeSpan BackupDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Records a promotion that moto accepted.</summary>
    public void Promoted(string region, string dbInstanceIdentifier) => _promotedAt.TryAdd((region, dbInstanceIdentifier), clock.GetUtcNow());

    /// <summary>Forgets every promotion (the local AWS was reset).</summary>
    public void Clear() => _promotedAt.Clear();

    /// <summary>Rewrites the DBInstance elements of a PromoteReadReplica or DescribeDBInstances reply.</summary>
    public string Rewrite(string region, string xml)
    {
        if (_promotedAt.IsEmpty)
        {
            return xml;
        }

        var document = XDocument.Parse(xml);
        var changed = false;
        foreach (var instance in document.Descendants().Where(e => e.Name.LocalName == "DBInstance").ToList())
        {
            var id = instance.Elements().FirstOrDefault(e => e.Name.LocalName == "DBInstanceIdentifier")?.Value;
            if (id is null || !_promotedAt.TryGetValue((region, id), out var promotedAt))
            {
                continue;
            }

            var status = instance.Elements().FirstOrDefault(e => e.Name.LocalName == "DBInstanceStatus");
            var hadNoBackups = instance.Elements().FirstOrDefault(e => e.Name.LocalName == "BackupRetentionPeriod")?.Value == "0";
            var elapsed = clock.GetUtcNow() - promotedAt;
            if (elapsed < PromotionDuration)
            {
                status?.SetValue("modifying");
            }
            else
            {
                instance.Elements().Where(e => e.Name.LocalName == "ReadReplicaSourceDBInstanceIdentifier").Remove();
                status?.SetValue(elapsed < PromotionDuration + RebootDuration ? "rebooting"
                    : hadNoBackups && elapsed < PromotionDuration + RebootDuration + BackupDuration ? "backing-up"
                    : "available");
            }

            changed = true;
        }

        return changed ? document.Declaration + document.ToString(SaveOptions.DisableFormatting) : xml;
    }
}
