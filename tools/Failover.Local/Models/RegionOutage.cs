namespace Failover.Local.Models;

/// <summary>How a region's endpoints behave once its outage has begun.</summary>
public enum OutageKind
{
    /// <summary>Nothing answers: a request is held until the caller gives up, as a connection that times out.</summary>
    Unreachable,

    /// <summary>The endpoints answer every call with HTTP 503 ServiceUnavailable.</summary>
    ServerErrors,

    /// <summary>The regional API answers, but the region's databases are impaired: an Aurora global switchover is
    /// refused or cancelled (it needs a healthy primary), while failover with AllowDataLoss still works.</summary>
    DatabaseImpaired,
}

/// <summary>A regional outage the local AWS plays from <paramref name="StartsAt"/> on.</summary>
/// <param name="Region">The region that goes dark (the plan's primary region).</param>
/// <param name="StartsAt">When the outage begins, on the local AWS's clock.</param>
/// <param name="Kind">How the region's endpoints behave during the outage.</param>
public sealed record RegionOutage(string Region, DateTimeOffset StartsAt, OutageKind Kind)
{
    /// <summary>True when the outage has begun at <paramref name="now"/> for calls to <paramref name="region"/>.</summary>
    public bool Affects(string region, DateTimeOffset now) => string.Equals(region, Region, StringComparison.Ordinal) && now >= StartsAt;
}
