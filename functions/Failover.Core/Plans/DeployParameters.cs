using System.Globalization;
using System.Text;

namespace Failover.Core.Plans;

/// <summary>
/// The template.yaml parameters a plan needs, so that what the stack may touch (the trigger rule, the roles'
/// resources) is exactly what the plan names. ARNs are built in the aws partition, the only one the template
/// accepts; regional resources are in the plan's recovery region and its trigger account.
/// </summary>
public static class DeployParameters
{
    /// <summary>The value of an optional ARN-list parameter that leaves its statement out.</summary>
    public const string None = "none";

    /// <summary>Template parameters by name, in template order; throws <see cref="PlanInvalidException"/> when the plan asks for what one stack cannot grant.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(RecoveryPlan plan)
    {
        var region = plan.RecoveryRegion;
        var account = plan.Trigger.AccountId;
        var databases = plan.Databases;
        var namespaces = plan.Switches.Where(s => s.Kind == SwitchKinds.SwitchMetric).Select(s => s.Namespace).Distinct(StringComparer.Ordinal).ToList();
        if (namespaces.Count > 1)
        {
            // The template scopes cloudwatch:PutMetricData to one namespace (SwitchNamespace).
            throw new PlanInvalidException([new PlanError("$.switches", $"switch metrics use {namespaces.Count} namespaces ({string.Join(", ", namespaces)}); one stack grants PutMetricData in one namespace, so use one")]);
        }

        List<KeyValuePair<string, string>> parameters =
        [
            new("PlanName", plan.Name),
            new("OutageAlarmArns", string.Join(',', plan.Trigger.AlarmArns)),
            new("ReplicaInstanceArns", List(databases.Where(d => d.Kind == DatabaseKinds.RdsInstanceReplica).Select(d => $"arn:aws:rds:{region}:{account}:db:{d.Id}"))),
            new("ReplicaClusterArns", List(databases.Select(d => d.Kind switch
            {
                DatabaseKinds.AuroraClusterReplica => $"arn:aws:rds:{region}:{account}:cluster:{d.Id}",
                DatabaseKinds.AuroraGlobal => d.TargetClusterArn,
                _ => null,
            }).OfType<string>())),
            new("GlobalClusterArns", List(databases.Where(d => d.Kind == DatabaseKinds.AuroraGlobal).Select(d => $"arn:aws:rds::{account}:global-cluster:{d.Id}"))),
            new("HealthCheckArns", List(plan.Switches.Select(s => s.HealthCheckId).OfType<string>().Select(id => $"arn:aws:route53:::healthcheck/{id}"))),
            new("HostedZoneArns", List(plan.Switches.Where(s => s.Kind == SwitchKinds.RecordUpsert).Select(s => s.HostedZoneId).OfType<string>().Select(id => $"arn:aws:route53:::hostedzone/{id}"))),
        ];
        if (namespaces.Count == 1)
        {
            parameters.Add(new("SwitchNamespace", namespaces[0]));
        }

        if (plan.Capacity.Count > 0)
        {
            // The group id in an Auto Scaling group's ARN is not known before the group exists: any id, by name (Service
            // Authorization Reference, Amazon EC2 Auto Scaling: autoScalingGroup resource type). Without capacity the
            // template's defaults (none) leave both statements out.
            parameters.Add(new("AutoScalingGroupArns", List(plan.Capacity.Where(c => c.Kind == CapacityKinds.AutoScalingGroup)
                .Select(c => $"arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{c.Name}"))));
            parameters.Add(new("EcsServiceArns", List(plan.Capacity.Where(c => c.Kind == CapacityKinds.EcsService)
                .Select(c => $"arn:aws:ecs:{region}:{account}:service/{c.Cluster}/{c.Service}"))));
        }

        return parameters;
    }

    /// <summary>
    /// The <c>sam deploy --parameter-overrides</c> argument (samconfig.toml's form: <c>Name="value"</c> pairs
    /// separated by spaces), single-quoted for a POSIX shell.
    /// </summary>
    public static string ParameterOverrides(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = string.Join(' ', parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}=\"{p.Value}\"")));
        return new StringBuilder("'").Append(text.Replace("'", "'\\''", StringComparison.Ordinal)).Append('\'').ToString();
    }

    private static string List(IEnumerable<string> arns)
    {
        var distinct = arns.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 0 ? None : string.Join(',', distinct);
    }
}
