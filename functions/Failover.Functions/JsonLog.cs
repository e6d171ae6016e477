using System.Text;
using System.Text.Json;

namespace Failover.Functions;

/// <summary>Writes one JSON object per line, the form CloudWatch Logs Insights queries best.</summary>
public sealed class JsonLog(TextWriter output, TimeProvider clock)
{
    private readonly Lock _gate = new();

    /// <summary>Writes a log line with a level, a message and string fields.</summary>
    public void Write(string level, string message, IEnumerable<KeyValuePair<string, string?>> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", clock.GetUtcNow());
            json.WriteString("level", level);
            json.WriteString("message", message);
            foreach (var (key, value) in fields)
            {
                if (value is not null)
                {
                    json.WriteString(key, value);
                }
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.ToArray());
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
