using System.Text.Json.Nodes;
using System.Xml.Linq;
using Failover.Aws.Tests.Transport;

namespace Failover.Aws.Tests.Wire;

/// <summary>Compares the request our client sent with the one boto3 sent for the same call.</summary>
internal static class WireComparison
{
    /// <summary>Method, path, query (as a set), content type and body (JSON by value, form by parameter set, XML by element tree in order).</summary>
    public static void AssertSameRequest(RecordedRequest ours, RecordedRequest boto3, bool compareContentType = true)
    {
        Assert.Equal(boto3.Method, ours.Method);
        Assert.Equal(boto3.Path, ours.Path);
        Assert.Equal(Pairs(boto3.Query), Pairs(ours.Query));
        if (compareContentType)
        {
            Assert.Equal(boto3.Header("Content-Type"), ours.Header("Content-Type"));
        }

        var contentType = boto3.Header("Content-Type") ?? ours.Header("Content-Type") ?? "";
        if (boto3.Body.Length == 0 || ours.Body.Length == 0)
        {
            Assert.Equal(boto3.BodyText, ours.BodyText);
        }
        else if (contentType.Contains("json", StringComparison.Ordinal))
        {
            var expected = JsonNode.Parse(boto3.BodyText);
            var actual = JsonNode.Parse(ours.BodyText);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"JSON bodies differ.\nboto3: {expected?.ToJsonString()}\nours:     {actual?.ToJsonString()}");
        }
        else if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            Assert.Equal(Pairs(boto3.BodyText), Pairs(ours.BodyText));
        }
        else
        {
            var expected = XElement.Parse(boto3.BodyText);
            var actual = XDocument.Parse(ours.BodyText).Root!;
            Assert.True(XNode.DeepEquals(expected, actual), $"XML bodies differ.\nboto3: {expected}\nours:     {actual}");
        }
    }

    /// <summary>Decoded name=value pairs, sorted (order is not significant in a query string or form).</summary>
    public static IReadOnlyList<string> Pairs(string encoded) =>
        [.. encoded.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')) + "=" + (p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : ""))
            .Order(StringComparer.Ordinal)];
}
