using System.Collections.Concurrent;
using System.Xml.Linq;

namespace Failover.Local.Models;

/// <summary>
/// Makes moto's promotion of a cross-region Aurora read replica cluster (PromoteReadReplicaDBCluster) behave like RDS.
/// moto 5.2.1 detaches the replica at once: the reply and every DescribeDBClusters after it show an available cluster
/// without ReplicationSourceIdentifier. RDS takes time: the Aurora User Guide's "Promoting a read replica to a DB cluster
/// for Aurora MySQL" (AuroraMySQL.Replication.CrossRegion.Promote.html) says the cluster's DB instances "are rebooted
/// before they become available" and that promotion "can take several minutes or longer", and "DB cluster status"
/// (Aurora.Status.html) lists <c>promoting</c>, "a read replica is being promoted to a standalone DB cluster". So for
/// <see cref="PromotionDuration"/> after the call the cluster reports <c>promoting</c> and still names its source (a
/// model choice: no page says when ReplicationSourceIdentifier goes; the product counts a cluster writable only once it
/// is available and standalone either way), then moto's standalone, available cluster. No page gives the duration: it
/// is a setting, scaled down so local runs take seconds. Only clusters registered with their source are modelled; the
/// gateway records promotions and rewrites the DBCluster elements of its replies.
/// </summary>
public sealed class AuroraReplicaClusterModel(TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Region, string Id), string> _sources = new();
    private readonly ConcurrentDictionary<(string Region, string Id), DateTimeOffset> _promotedAt = new();

    /// <summary>How long a promoted replica cluster reports "promoting", still naming its source.</summary>
    public TimeSpan PromotionDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Registers a replica cluster in <paramref name="region"/> and the ARN of the cluster it replicates.</summary>
    public void Register(string region, string dbClusterIdentifier, string sourceClusterArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(dbClusterIdentifier);
        ArgumentException.ThrowIfNullOrEmpty(sourceClusterArn);
        _sources[(region, dbClusterIdentifier.ToLowerInvariant())] = sourceClusterArn;
    }

    /// <summary>Records a promotion that moto accepted; a cluster not registered, or promoted before, is left alone.</summary>
    public void Promoted(string region, string dbClusterIdentifier)
    {
        var key = (region, dbClusterIdentifier.ToLowerInvariant());
        if (_sources.ContainsKey(key))
        {
            _promotedAt.TryAdd(key, clock.GetUtcNow());
        }
    }

    /// <summary>Forgets every cluster and promotion (the local AWS was reset).</summary>
    public void Clear()
    {
        _sources.Clear();
        _promotedAt.Clear();
    }

    /// <summary>Rewrites the DBCluster elements of a PromoteReadReplicaDBCluster or DescribeDBClusters reply.</summary>
    public string Rewrite(string region, string xml)
    {
        if (_promotedAt.IsEmpty)
        {
            return xml;
        }

        var document = XDocument.Parse(xml);
        var changed = false;
        var now = clock.GetUtcNow();
        foreach (var cluster in document.Descendants().Where(e => e.Name.LocalName == "DBCluster").ToList())
        {
            var id = Child(cluster, "DBClusterIdentifier")?.Value.ToLowerInvariant();
            if (id is null || !_promotedAt.TryGetValue((region, id), out var promotedAt) || now - promotedAt >= PromotionDuration)
            {
                continue;
            }

            var ns = cluster.Name.Namespace;
            if (Child(cluster, "Status") is { } status)
            {
                status.SetValue("promoting");
            }
            else
            {
                cluster.Add(new XElement(ns + "Status", "promoting"));
            }

            var source = _sources[(region, id)];
            if (Child(cluster, "ReplicationSourceIdentifier") is { } named)
            {
                named.SetValue(source);
            }
            else
            {
                cluster.Add(new XElement(ns + "ReplicationSourceIdentifier", source));
            }

            changed = true;
        }

        return changed ? document.Declaration + document.ToString(SaveOptions.DisableFormatting) : xml;
    }

    private static XElement? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);
}
