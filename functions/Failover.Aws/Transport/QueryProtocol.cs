using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Failover.Aws.Transport;

/// <summary>Form parameters of an AWS query-protocol call, in the order they are added.</summary>
internal sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> _values = [];

    /// <summary>How many parameters there are (a mark for <see cref="RemoveFrom"/>).</summary>
    public int Count => _values.Count;

    /// <summary>Bytes the parameters add to the body <see cref="Encode"/> writes (each with its leading '&amp;').</summary>
    public int EncodedLength { get; private set; }

    public QueryParameters Add(string name, string? value)
    {
        if (value is not null)
        {
            _values.Add(new(name, value));
            EncodedLength += PairLength(name, value);
        }

        return this;
    }

    /// <summary>Removes the parameters added since <see cref="Count"/> was <paramref name="mark"/>.</summary>
    public void RemoveFrom(int mark)
    {
        foreach (var (name, value) in _values.Skip(mark))
        {
            EncodedLength -= PairLength(name, value);
        }

        _values.RemoveRange(mark, _values.Count - mark);
    }

    public QueryParameters Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public QueryParameters Add(string name, double? value) => Add(name, value?.ToString("R", CultureInfo.InvariantCulture));

    public QueryParameters Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryParameters Add(string name, DateTimeOffset? value) => Add(name, value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    /// <summary>Encodes as application/x-www-form-urlencoded with RFC 3986 percent-encoding.</summary>
    public string Encode(string action, string version)
    {
        var body = new StringBuilder($"Action={Uri.EscapeDataString(action)}&Version={Uri.EscapeDataString(version)}");
        foreach (var (name, value) in _values)
        {
            body.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return body.ToString();
    }

    // Percent-encoded text is ASCII: its length is its size in bytes.
    private static int PairLength(string name, string value) => 1 + Uri.EscapeDataString(name).Length + 1 + Uri.EscapeDataString(value).Length;
}

/// <summary>The query protocol (RDS, SNS, CloudWatch): form POST, XML reply.</summary>
internal static class QueryProtocol
{
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    /// <summary>Calls <paramref name="action"/> and returns its &lt;ActionResult&gt; element (empty when the operation has no output).</summary>
    public static async Task<XElement> CallAsync(AwsTransport transport, AwsService service, string version, string action, QueryParameters parameters, bool retrySafe, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(parameters.Encode(action, version));
        var response = await transport.SendAsync(service, new AwsRequest(action, HttpMethod.Post, "/", body, ContentType, retrySafe), cancellationToken);
        var root = ParseXml(service, action, response.Body);
        return root.Child(action + "Result") ?? new XElement(action + "Result");
    }

    /// <summary>Parses a successful XML reply; a body that is not XML is a typed error, never a raw XmlException.</summary>
    public static XElement ParseXml(AwsService service, string operation, string body)
    {
        try
        {
            return XDocument.Parse(body).Root ?? throw Malformed(service, operation, "empty document");
        }
        catch (System.Xml.XmlException ex)
        {
            throw Malformed(service, operation, $"reply is not XML: {ex.Message}");
        }
    }

    public static AwsServiceException Malformed(AwsService service, string operation, string detail) =>
        new(service.Name, operation, "MalformedResponse", null, null, detail);
}

/// <summary>Namespace-agnostic reading of AWS XML replies.</summary>
internal static class Xml
{
    public static XElement? Child(this XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(this XElement element, string name) => element.Child(name)?.Value;

    public static string Required(this XElement element, string name) =>
        element.Text(name) ?? throw new FormatException($"<{element.Name.LocalName}> has no <{name}>");

    /// <summary>The items of a wrapped list: &lt;name&gt;&lt;item/&gt;…&lt;/name&gt;, whatever the items are called.</summary>
    public static IEnumerable<XElement> Items(this XElement element, string name) => element.Child(name)?.Elements() ?? [];

    public static bool? Bool(this XElement element, string name) => element.Text(name) is { } v ? v == "true" : null;

    public static int? Int(this XElement element, string name) => element.Text(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
}
