using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Failover.Core.Runs;

/// <summary>
/// Writes one of the run document's long lists packed when its plain JSON is long. The run travels through every state
/// of the workflow, and Step Functions refuses a state input or output over 256 KiB with States.DataLimitExceeded (Step
/// Functions Developer Guide, "Step Functions service quotas"): 200 databases take about 80 KB as plain JSON. A list of
/// at most <see cref="PlainLimitBytes"/> is written as it is, readable in the console's execution view; a longer one as
/// <c>{"count": n, "gzipBase64": "…"}</c>, its plain JSON gzip-compressed and base64-encoded (repetitive entries pack
/// about tenfold). Reports and notifications show every entry either way. Both forms are read.
/// </summary>
public abstract class PackedListConverter<T> : JsonConverter<IReadOnlyList<T>>
{
    /// <summary>Plain JSON up to this size stays plain: the lists of an ordinary plan (a few dozen entries) are never packed.</summary>
    public const int PlainLimitBytes = 16 * 1024;

    private const string CountMember = "count";
    private const string PackedMember = "gzipBase64";

    /// <inheritdoc/>
    public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var info = ListInfo(options);
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return JsonSerializer.Deserialize(ref reader, info) ?? [];
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a list, or a packed list {{\"{CountMember}\": n, \"{PackedMember}\": \"...\"}}; found {reader.TokenType}");
        }

        using var packed = JsonDocument.ParseValue(ref reader);
        if (!packed.RootElement.TryGetProperty(PackedMember, out var data) || data.ValueKind != JsonValueKind.String
            || !packed.RootElement.TryGetProperty(CountMember, out var countElement) || !countElement.TryGetInt32(out var count))
        {
            throw new JsonException($"a packed list needs \"{CountMember}\" (a whole number) and \"{PackedMember}\" (a string)");
        }

        IReadOnlyList<T> list;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(data.GetString()!)), CompressionMode.Decompress);
            list = JsonSerializer.Deserialize(gzip, info) ?? [];
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new JsonException($"\"{PackedMember}\" is not base64-encoded gzip: {e.Message}", e);
        }

        return list.Count == count ? list : throw new JsonException($"the packed list holds {list.Count} entries; its \"{CountMember}\" says {count}");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(value, ListInfo(options));
        if (plain.Length <= PlainLimitBytes)
        {
            writer.WriteRawValue(plain, skipInputValidation: true);
            return;
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(plain);
        }

        writer.WriteStartObject();
        writer.WriteNumber(CountMember, value.Count);
        writer.WriteString(PackedMember, Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length));
        writer.WriteEndObject();
    }

    // The list type's own contract (an array of entries), registered in FailoverJson.
    private static JsonTypeInfo<IReadOnlyList<T>> ListInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<IReadOnlyList<T>>)options.GetTypeInfo(typeof(IReadOnlyList<T>));
}

/// <summary>The run's databases, packed when long (<see cref="PackedListConverter{T}"/>).</summary>
public sealed class DatabaseListConverter : PackedListConverter<DatabaseRun>;

/// <summary>The run's traffic switches, packed when long (<see cref="PackedListConverter{T}"/>).</summary>
public sealed class SwitchListConverter : PackedListConverter<SwitchRun>;
