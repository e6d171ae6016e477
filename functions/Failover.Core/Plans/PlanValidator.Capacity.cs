using System.Text.RegularExpressions;

namespace Failover.Core.Plans;

public static partial class PlanValidator
{
    // The ready window: less than a minute is shorter than any instance or task takes to start; more than two hours is
    // an outage the plan should not wait out before moving traffic.
    private const int MinReadyWithinSeconds = 60;
    private const int MaxReadyWithinSeconds = 7200;

    // Auto Scaling accepts most characters in a group name (botocore autoscaling 2011-01-01, ResourceName); the plan
    // keeps to those that go into the role's resource ARN and a CommaDelimitedList template parameter unchanged.
    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,255}\z")]
    private static partial Regex AutoScalingGroupNamePattern();

    // "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens" (CreateCluster and CreateService
    // API reference, Amazon ECS).
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,255}\z")]
    private static partial Regex EcsNamePattern();

    private static void ValidateCapacity(IReadOnlyList<CapacityTarget> capacity, List<PlanError> errors)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < capacity.Count; i++)
        {
            var path = $"$.capacity[{i}]";
            if (capacity[i] is not { } entry)
            {
                errors.Add(new PlanError(path, "must not be null"));
                continue;
            }

            Require(errors, SwitchIdPattern().IsMatch(entry.Id), $"{path}.id", "must be 1-64 letters, digits, '-', '_' or '.'");
            Require(errors, ids.Add(entry.Id), $"{path}.id", $"'{Printable(entry.Id)}' is listed twice");
            Require(errors, entry.MinReadyFraction is > 0 and <= 1, $"{path}.minReadyFraction", "must be greater than 0 and at most 1");
            Require(errors, entry.ReadyWithinSeconds is >= MinReadyWithinSeconds and <= MaxReadyWithinSeconds, $"{path}.readyWithinSeconds",
                $"must be {MinReadyWithinSeconds}-{MaxReadyWithinSeconds}");
            switch (entry.Kind)
            {
                case CapacityKinds.AutoScalingGroup:
                    Require(errors, entry.Name is { } name && AutoScalingGroupNamePattern().IsMatch(name), $"{path}.name",
                        "is required: the Auto Scaling group's name, 1-255 letters, digits, '-', '_' or '.'");
                    Require(errors, entry.DesiredCapacity is >= 1, $"{path}.desiredCapacity", "is required: the desired capacity to reach, 1 or more");
                    Require(errors, entry.Cluster is null && entry.Service is null && entry.DesiredCount is null, path, "cluster, service and desiredCount are only for ecs-service");
                    break;
                case CapacityKinds.EcsService:
                    Require(errors, entry.Cluster is { } cluster && EcsNamePattern().IsMatch(cluster), $"{path}.cluster", "is required: the cluster's name, 1-255 letters, digits, '-' or '_'");
                    Require(errors, entry.Service is { } service && EcsNamePattern().IsMatch(service), $"{path}.service", "is required: the service's name, 1-255 letters, digits, '-' or '_'");
                    Require(errors, entry.DesiredCount is >= 1, $"{path}.desiredCount", "is required: the desired count of tasks to reach, 1 or more");
                    Require(errors, entry.Name is null && entry.DesiredCapacity is null && !entry.MatchPrimary, path, "name, desiredCapacity and matchPrimary are only for auto-scaling-group");
                    break;
                default:
                    errors.Add(new PlanError($"{path}.kind", $"unknown kind '{Printable(entry.Kind)}'; expected one of {string.Join(", ", CapacityKinds.All)}"));
                    break;
            }
        }
    }
}
