using System.Text.Json.Nodes;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>A Systems Manager parameter's value and version.</summary>
public sealed record SsmParameter(string Name, string Value, long Version);

/// <summary>AWS Systems Manager Parameter Store over AWS JSON 1.1 (target AmazonSSM), the members the product uses.</summary>
public sealed class SsmClient
{
    /// <summary>Largest value of a Standard-tier parameter in bytes (4 KB; Advanced: 8 KB). Systems Manager endpoints
    /// and quotas (docs.aws.amazon.com/general/latest/gr/ssm.html), "Parameter value size".</summary>
    public const int StandardValueLimit = 4096;

    /// <summary>Largest value of an Advanced-tier parameter in bytes (8 KB).</summary>
    public const int AdvancedValueLimit = 8192;

    private readonly AwsTransport _transport;

    internal SsmClient(AwsTransport transport) => _transport = transport;

    /// <summary>Reads a parameter (API_GetParameter.html); throws <see cref="AwsNotFoundException"/> (ParameterNotFound) when there is none.</summary>
    [IamAction("ssm:GetParameter")]
    public async Task<SsmParameter> GetParameterAsync(string name, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("GetParameter", new JsonObject { ["Name"] = name }, retrySafe: true, cancellationToken);
        var parameter = reply["Parameter"] ?? throw QueryProtocol.Malformed(AwsService.Ssm, "GetParameter", "no Parameter");
        return new SsmParameter(parameter.RequiredStr("Name"), parameter.RequiredStr("Value"), parameter["Version"]?.GetValue<long>() ?? 0);
    }

    /// <summary>Writes a String parameter, replacing its value (API_PutParameter.html, Overwrite true); returns the new version.
    /// <paramref name="tier"/> is Standard (values up to 4 KB), Advanced (up to 8 KB, charged per parameter) or
    /// Intelligent-Tiering (Standard unless the value needs Advanced).</summary>
    [IamAction("ssm:PutParameter")]
    public async Task<long> PutParameterAsync(string name, string value, string tier, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("PutParameter", new JsonObject { ["Name"] = name, ["Value"] = value, ["Type"] = "String", ["Overwrite"] = true, ["Tier"] = tier }, retrySafe: true, cancellationToken);
        return reply["Version"]?.GetValue<long>() ?? 0;
    }

    private Task<JsonObject> CallAsync(string operation, JsonObject body, bool retrySafe, CancellationToken cancellationToken) =>
        JsonProtocol.CallAsync(_transport, AwsService.Ssm, "AmazonSSM", operation, body, retrySafe, cancellationToken, jsonVersion: "1.1");
}
