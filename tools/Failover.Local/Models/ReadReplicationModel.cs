using System.Collections.Concurrent;
using System.Xml.Linq;

namespace Failover.Local.Models;

/// <summary>
/// The read replication status RDS reports for a replica, which moto does not: DescribeDBInstances gives each read
/// replica a StatusInfos entry of StatusType "read replication" whose Status is replicating, replication stop point
/// set, replication stop point reached, error, stopped or terminated, with Normal false and a Message when in error
/// (API_DBInstanceStatusInfo.html; RDS User Guide, "Monitoring read replication", USER_ReadRepl.Monitoring.html). A
/// replica whose replication broke stays "available". Replicas report replicating until <see cref="Set"/> says otherwise.
/// </summary>
public sealed class ReadReplicationModel
{
    /// <summary>The StatusType of the entry.</summary>
    public const string StatusType = "read replication";

    private readonly ConcurrentDictionary<(string Region, string Id), (string Status, string Message)> _statuses = new();

    /// <summary>Sets a replica's read replication status (e.g. error, with RDS's message).</summary>
    public void Set(string region, string dbInstanceIdentifier, string status, string message) => _statuses[(region, dbInstanceIdentifier)] = (status, message);

    /// <summary>Forgets every status set (the local AWS was reset).</summary>
    public void Clear() => _statuses.Clear();

    /// <summary>Adds the StatusInfos entry to each read replica of a DescribeDBInstances reply that has none.</summary>
    public string Rewrite(string region, string xml)
    {
        var document = XDocument.Parse(xml);
        var changed = false;
        foreach (var instance in document.Descendants().Where(e => e.Name.LocalName == "DBInstance").ToList())
        {
            var ns = instance.Name.Namespace;
            var id = instance.Element(ns + "DBInstanceIdentifier")?.Value;
            var source = instance.Element(ns + "ReadReplicaSourceDBInstanceIdentifier")?.Value;
            if (id is null || string.IsNullOrEmpty(source) || instance.Element(ns + "StatusInfos") is { HasElements: true })
            {
                continue;
            }

            var (status, message) = _statuses.TryGetValue((region, id), out var set) ? set : ("replicating", "");
            instance.Element(ns + "StatusInfos")?.Remove();
            instance.Add(new XElement(ns + "StatusInfos", new XElement(ns + "DBInstanceStatusInfo",
                new XElement(ns + "StatusType", StatusType),
                new XElement(ns + "Normal", status == "replicating" ? "true" : "false"),
                new XElement(ns + "Status", status),
                new XElement(ns + "Message", message))));
            changed = true;
        }

        return changed ? document.Declaration + document.ToString(SaveOptions.DisableFormatting) : xml;
    }
}
