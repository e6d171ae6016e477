using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Failover.Local.Drs;

/// <summary>The DRS wire as the simulator speaks it (REST-JSON): replies and errors in the shapes the DRS API reference
/// gives, paging (maxResults, nextToken) and the reading of request fields. Holds no state.</summary>
internal static class DrsWire
{
    /// <summary>Writes a reply as DRS sends it: the status, x-amzn-RequestId, x-amzn-ErrorType on an error, the JSON body.</summary>
    internal static async Task WriteAsync(HttpResponse response, DrsReply reply, CancellationToken cancellationToken)
    {
        response.StatusCode = reply.Status;
        response.ContentType = "application/json";
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (reply.ErrorType is not null)
        {
            response.Headers["x-amzn-ErrorType"] = reply.ErrorType;
        }

        var bytes = Encoding.UTF8.GetBytes(reply.Body.ToJsonString());
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    // nextToken is the index of the next item; maxResults defaults to 100.
    internal static DrsReply Page(JsonObject request, IEnumerable<JsonNode> items) => Page(request, [.. items], node => node);

    // Renders only the items on the page: a page of a long list costs its own length.
    internal static DrsReply Page<T>(JsonObject request, IReadOnlyList<T> all, Func<T, JsonNode> render)
    {
        var size = request["maxResults"] is JsonValue max && max.TryGetValue<int>(out var m) ? m : 100;
        if (size < 1)
        {
            throw Invalid("maxResults", "maxResults must be at least 1");
        }

        var start = 0;
        if (Str(request, "nextToken") is { } token && !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            throw Invalid("nextToken", "nextToken is not valid");
        }

        var page = new JsonArray();
        for (var i = start; i < Math.Min(all.Count, start + size); i++)
        {
            page.Add(render(all[i]));
        }

        var reply = new JsonObject { ["items"] = page };
        if (start + size < all.Count)
        {
            reply["nextToken"] = (start + size).ToString(CultureInfo.InvariantCulture);
        }

        return new DrsReply(200, null, reply);
    }

    internal static DrsReply Validation(string message, string reason, string? field = null)
    {
        var body = new JsonObject { ["message"] = message, ["code"] = "ValidationException", ["reason"] = reason };
        if (field is not null)
        {
            body["fieldList"] = new JsonArray(new JsonObject { ["name"] = field, ["message"] = message });
        }

        return new DrsReply(400, "ValidationException", body);
    }

    internal static RequestException Invalid(string field, string message) => new(Validation(message, "fieldValidationFailed", field));

    internal static RequestException QuotaExceeded(string quotaCode, string message) =>
        new(new DrsReply(402, "ServiceQuotaExceededException", new JsonObject
        {
            ["message"] = $"{message} ({quotaCode})",
            ["code"] = "ServiceQuotaExceededException",
            ["serviceCode"] = "drs",
            ["quotaCode"] = quotaCode,
        }));

    internal static RequestException NotFound(string id, string type, string message) => new(Error(404, "ResourceNotFoundException", message, id, type));

    internal static DrsReply Error(int status, string type, string message, string resourceId, string resourceType) =>
        new(status, type, new JsonObject { ["message"] = message, ["code"] = type, ["resourceId"] = resourceId, ["resourceType"] = resourceType });

    internal static string? Str(JsonNode? node, string name) => node?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    internal static HashSet<string> Strings(JsonObject? node, string name) =>
        new((node?[name] as JsonArray ?? []).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>(), StringComparer.Ordinal);

    internal static DateTimeOffset? Date(JsonObject? node, string name)
    {
        if (Str(node, name) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw Invalid(name, $"{name} is not an ISO-8601 date-time");
    }

    internal static Dictionary<string, string> Tags(JsonObject request) =>
        (request["tags"] as JsonObject)?.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);

    internal static JsonObject TagsJson(IReadOnlyDictionary<string, string> tags)
    {
        var json = new JsonObject();
        foreach (var (key, value) in tags)
        {
            json[key] = value;
        }

        return json;
    }

    // The DRS model's ISO8601DatetimeString: …T…(.fraction)Z.
    internal static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    internal sealed class RequestException(DrsReply reply) : Exception(reply.Body.ToJsonString())
    {
        public DrsReply Reply { get; } = reply;
    }
}

/// <summary>A DRS reply: HTTP status, x-amzn-ErrorType (null on success) and the JSON body.</summary>
internal sealed record DrsReply(int Status, string? ErrorType, JsonObject Body);
