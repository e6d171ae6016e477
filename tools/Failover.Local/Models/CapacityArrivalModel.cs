using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Failover.Local.Models;

/// <summary>
/// How long new compute takes to be in service, layered over moto, which puts an Auto Scaling group's new instances
/// InService at once and counts an ECS service's tasks as running the moment its desired count is raised (while its
/// deployment stays IN_PROGRESS from creation).
/// </summary>
/// <remarks>
/// AWS: a scale-out launches instances in the Pending state; each enters InService once it is configured and has passed
/// the EC2 health checks ("Amazon EC2 Auto Scaling instance lifecycle", ec2-auto-scaling-lifecycle.html). A service's
/// new tasks go from PROVISIONING through PENDING and ACTIVATING to RUNNING ("Amazon ECS task lifecycle",
/// task-lifecycle-explanation.html); runningCount counts the RUNNING ones. Neither page gives a duration (instances take
/// minutes, Fargate tasks about a minute, depending on the image): they are settings, scaled down so local runs take
/// seconds. The capacity a group or service had before its first scale-up is taken as in service (the standby fleet);
/// what a scale-up adds arrives <see cref="InstanceWarmup"/> or <see cref="TaskStartup"/> after it, all at once, or never
/// for the names in <see cref="NeverArrives"/> (no capacity in the zone, a task that cannot start).
/// </remarks>
public sealed class CapacityArrivalModel(TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Region, string Key), Scale> _scales = new();
    private readonly ConcurrentDictionary<(string Region, string Key), int> _lastInService = new();

    /// <summary>From a group's scale-up until its new instances are InService.</summary>
    public TimeSpan InstanceWarmup { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>From a service's scale-up until its new tasks are RUNNING.</summary>
    public TimeSpan TaskStartup { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Auto Scaling group names and ECS "cluster/service" keys whose added capacity never arrives.</summary>
    public ConcurrentDictionary<string, bool> NeverArrives { get; } = new(StringComparer.Ordinal);

    /// <summary>Forgets every scale-up (the local AWS was reset).</summary>
    public void Clear()
    {
        _scales.Clear();
        _lastInService.Clear();
        NeverArrives.Clear();
    }

    /// <summary>In service now for a group or service of <paramref name="desired"/> (what the last answer said before a scale-up, the standby size).</summary>
    public int InService(string region, string key, int desired, TimeSpan arrival)
    {
        if (!_scales.TryGetValue((region, key), out var scale))
        {
            return desired;
        }

        var arrived = !NeverArrives.ContainsKey(key) && clock.GetUtcNow() - scale.At >= arrival;
        return arrived ? desired : Math.Min(scale.InServiceBefore, desired);
    }

    /// <summary>Records a scale-up to <paramref name="desired"/> that the service accepted; a repeat of the same size changes nothing.</summary>
    public void Scaled(string region, string key, int desired)
    {
        var before = _lastInService.GetValueOrDefault((region, key));
        _scales.AddOrUpdate((region, key), new Scale(desired, before, clock.GetUtcNow()), (_, existing) => desired > existing.Desired
            ? new Scale(desired, Math.Min(existing.InServiceBefore, before), clock.GetUtcNow())
            : existing);
    }

    /// <summary>Rewrites a DescribeAutoScalingGroups reply: instances beyond those in service are Pending.</summary>
    public string RewriteAutoScalingGroups(string region, string xml)
    {
        var document = XDocument.Parse(xml);
        foreach (var group in document.Descendants().Where(e => e.Name.LocalName == "member" && e.Elements().Any(c => c.Name.LocalName == "AutoScalingGroupName") && e.Parent?.Name.LocalName == "AutoScalingGroups"))
        {
            var name = Child(group, "AutoScalingGroupName")!.Value;
            var instances = Child(group, "Instances")?.Elements().ToList() ?? [];
            var inService = InService(region, name, instances.Count, InstanceWarmup);
            for (var i = 0; i < instances.Count; i++)
            {
                Child(instances[i], "LifecycleState")?.SetValue(i < inService ? "InService" : "Pending");
            }

            _lastInService[(region, name)] = inService;
        }

        return document.Declaration + document.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Rewrites a DescribeServices reply of <paramref name="cluster"/>: runningCount, pendingCount and the PRIMARY deployment's rollout follow the model.</summary>
    public string RewriteEcsServices(string region, string cluster, string json)
    {
        if (JsonNode.Parse(json) is not JsonObject reply)
        {
            return json;
        }

        foreach (var service in (reply["services"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = $"{ClusterName(cluster)}/{service["serviceName"]?.GetValue<string>()}";
            var desired = service["desiredCount"]?.GetValue<int>() ?? 0;
            var running = InService(region, key, desired, TaskStartup);
            service["runningCount"] = running;
            service["pendingCount"] = desired - running;
            foreach (var deployment in (service["deployments"] as JsonArray ?? []).OfType<JsonObject>().Where(d => d["status"]?.GetValue<string>() == "PRIMARY"))
            {
                deployment["desiredCount"] = desired;
                deployment["runningCount"] = running;
                deployment["pendingCount"] = desired - running;
                deployment["rolloutState"] = running >= desired ? "COMPLETED" : "IN_PROGRESS";
            }

            _lastInService[(region, key)] = running;
        }

        return reply.ToJsonString();
    }

    /// <summary>A cluster named by ARN or by name, as its name.</summary>
    public static string ClusterName(string cluster) => cluster.Contains(":cluster/", StringComparison.Ordinal) ? cluster[(cluster.IndexOf(":cluster/", StringComparison.Ordinal) + ":cluster/".Length)..] : cluster;

    private static XElement? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private sealed record Scale(int Desired, int InServiceBefore, DateTimeOffset At);
}
