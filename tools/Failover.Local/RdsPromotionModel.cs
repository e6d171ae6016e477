using System.Collections.Concurrent;
using System.Xml.Linq;

namespace Failover.Local;

/// <summary>
/// Makes moto's RDS promotions behave like RDS: moto flips a promoted replica at once and keeps reporting
/// its ReadReplicaSourceDBInstanceIdentifier; RDS reboots it ("modifying") for a while and then reports a
/// standalone instance. The gateway records promotions and rewrites DescribeDBInstances replies.
/// </summary>
public sealed class RdsPromotionModel(TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Region, string Id), DateTimeOffset> _promotedAt = new();

    /// <summary>How long a promoted replica stays "modifying" before it is available and standalone.</summary>
    public TimeSpan PromotionDuration { get; set; } = TimeSpan.FromSeconds(2);

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
            if (clock.GetUtcNow() - promotedAt < PromotionDuration)
            {
                status?.SetValue("modifying");
            }
            else
            {
                instance.Elements().Where(e => e.Name.LocalName == "ReadReplicaSourceDBInstanceIdentifier").Remove();
                status?.SetValue("available");
            }

            changed = true;
        }

        return changed ? document.Declaration + document.ToString(SaveOptions.DisableFormatting) : xml;
    }
}
