namespace Failover.Core;

/// <summary>
/// An Amazon Resource Name, <c>arn:partition:service:region:account-id:resource</c> (IAM User Guide, "IAM identifiers",
/// reference-arns.html). The resource part keeps its own colons and slashes (<c>alarm:name</c>,
/// <c>execution:machine:name</c>, <c>cluster:id</c>).
/// </summary>
public sealed record Arn(string Partition, string Service, string Region, string Account, string Resource)
{
    private static readonly char[] TypeSeparators = [':', '/'];

    /// <summary>
    /// The resource type: the resource up to its first colon or slash (<c>alarm</c>, <c>cluster</c>, <c>execution</c>,
    /// <c>function</c>, <c>healthcheck</c>); empty when the resource has no type (an S3 bucket).
    /// </summary>
    public string ResourceType => Resource.IndexOfAny(TypeSeparators) is var end and >= 0 ? Resource[..end] : "";

    /// <summary>
    /// The resource after its type, whole: <c>alarm:a:b</c> gives <c>a:b</c> (alarm names may hold colons),
    /// <c>execution:machine:run</c> gives <c>machine:run</c>, <c>function:name:live</c> gives <c>name:live</c>.
    /// </summary>
    public string ResourceName => Resource[(Resource.IndexOfAny(TypeSeparators) + 1)..];

    /// <summary>
    /// The resource name up to its first colon: the state machine of <c>execution:machine:run</c>, the function of
    /// <c>function:name:qualifier</c> (Lambda Developer Guide, "Qualified and unqualified ARNs").
    /// </summary>
    public string ResourceNameHead => ResourceName.Split(':', 2)[0];

    /// <summary>Whether this ARN names a resource of <paramref name="resourceType"/> in <paramref name="service"/> (e.g. cloudwatch alarm).</summary>
    public bool Names(string service, string resourceType) => Service == service && ResourceType == resourceType;

    /// <summary>The last part of the resource: a name or identifier after its type (<c>cluster:orders</c> gives <c>orders</c>).</summary>
    public string ResourceId => Resource[(Resource.LastIndexOfAny([':', '/']) + 1)..];

    /// <summary>Reads <paramref name="text"/> as an ARN; false when it is not one (too few parts, or not starting with "arn").</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Arn? arn)
    {
        arn = text?.Split(':', 6) is ["arn", { Length: > 0 } partition, { Length: > 0 } service, var region, var account, { Length: > 0 } resource]
            ? new Arn(partition, service, region, account, resource)
            : null;
        return arn is not null;
    }

    /// <summary>Reads <paramref name="text"/> as an ARN, or says why it is not one.</summary>
    public static Arn Parse(string text) =>
        TryParse(text, out var arn) ? arn : throw new FormatException($"'{text}' is not an ARN (arn:partition:service:region:account-id:resource)");

    /// <inheritdoc/>
    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";
}
