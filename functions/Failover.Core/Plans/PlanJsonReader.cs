using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Failover.Core.Plans;

/// <summary>
/// Reads a plan's JSON against the plan model's own shape (the source-generated <see cref="FailoverJson"/> metadata of
/// <see cref="RecoveryPlan"/>), reporting every member of the wrong type, unknown member, null where none is allowed and
/// string holding a control character, each with its path, line and column; System.Text.Json stops at the first. What
/// it refuses is left out of <see cref="Result.Repaired"/> (a list element becomes null), so the plan's own rules can
/// still be checked on the rest and every error is reported at once.
/// </summary>
internal sealed class PlanJsonReader : IDisposable
{
    private readonly JsonText.LineMap _lines;
    private readonly List<PlanError> _errors = [];
    private readonly Dictionary<string, JsonPlace> _places = new(StringComparer.Ordinal);
    private readonly List<string> _refused = [];
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _writer;

    private PlanJsonReader(ReadOnlySpan<byte> utf8)
    {
        _lines = new JsonText.LineMap(utf8);
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>What <see cref="Read"/> found.</summary>
    /// <param name="Errors">Every error of shape (type, member, null, character), in document order.</param>
    /// <param name="Places">The place of every value read, by path.</param>
    /// <param name="Refused">Paths of the values left out of <paramref name="Repaired"/>.</param>
    /// <param name="Repaired">The plan without what was refused; null when the document is not an object.</param>
    internal sealed record Result(IReadOnlyList<PlanError> Errors, IReadOnlyDictionary<string, JsonPlace> Places, IReadOnlyList<string> Refused, byte[]? Repaired);

    /// <summary>Reads <paramref name="utf8"/>, which must be valid JSON (<see cref="JsonText.DuplicateKeys"/> has read it).</summary>
    public static Result Read(ReadOnlySpan<byte> utf8)
    {
        using var walk = new PlanJsonReader(utf8);
        var reader = new Utf8JsonReader(utf8, JsonText.ReaderOptions);
        reader.Read();
        var place = walk.PlaceOf(reader, "$");
        walk._places["$"] = place;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            walk._errors.Add(new PlanError("$", reader.TokenType == JsonTokenType.Null ? "plan is empty (null)" : $"must be an object (the plan), not {Found(reader)}", place.Line, place.Column));
            return new Result(walk._errors, walk._places, walk._refused, null);
        }

        walk.Value(ref reader, ShapeOf(typeof(RecoveryPlan)), nullable: false, "$", name: null);
        walk._writer.Flush();
        return new Result(walk._errors, walk._places, walk._refused, walk._buffer.WrittenSpan.ToArray());
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    // The value at the reader; true when it was written to the repaired plan (preceded by its member name, if any).
    private bool Value(ref Utf8JsonReader reader, Shape shape, bool nullable, string path, string? name)
    {
        var place = PlaceOf(reader, path);
        _places[path] = place;
        var token = reader.TokenType;
        if (token == JsonTokenType.Null && nullable)
        {
            WriteName(name);
            _writer.WriteNullValue();
            return true;
        }

        switch (shape)
        {
            case TextShape when token == JsonTokenType.String:
                var text = reader.GetString()!;
                if (BadCharacter(text) is { } why)
                {
                    return Refuse(place, why);
                }

                WriteName(name);
                _writer.WriteStringValue(text);
                return true;
            case WholeNumberShape when token == JsonTokenType.Number:
                if (!reader.TryGetInt32(out var whole))
                {
                    return Refuse(place, $"must be a whole number from {int.MinValue} to {int.MaxValue}, not {Found(reader)}");
                }

                WriteName(name);
                _writer.WriteNumberValue(whole);
                return true;
            case NumberShape when token == JsonTokenType.Number && reader.TryGetDouble(out var number) && double.IsFinite(number):
                WriteName(name);
                _writer.WriteNumberValue(number);
                return true;
            case FlagShape when token is JsonTokenType.True or JsonTokenType.False:
                WriteName(name);
                _writer.WriteBooleanValue(token == JsonTokenType.True);
                return true;
            case ListShape list when token == JsonTokenType.StartArray:
                WriteName(name);
                _writer.WriteStartArray();
                for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
                {
                    if (!Value(ref reader, list.Item, nullable: false, JsonText.Element(path, index), name: null))
                    {
                        // Kept as null so that later elements keep their index (and path) in the repaired plan.
                        _writer.WriteNullValue();
                    }
                }

                _writer.WriteEndArray();
                return true;
            case MapShape map when token == JsonTokenType.StartObject:
                WriteName(name);
                _writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    var keyPlace = PlaceOf(reader, JsonText.Member(path, key));
                    reader.Read();
                    if (BadCharacter(key) is { } keyProblem)
                    {
                        _places[keyPlace.Path] = keyPlace;
                        Refuse(keyPlace, "the name " + keyProblem);
                        reader.Skip();
                        continue;
                    }

                    Value(ref reader, map.Value, nullable: false, keyPlace.Path, key);
                }

                _writer.WriteEndObject();
                return true;
            case ObjectShape model when token == JsonTokenType.StartObject:
                WriteName(name);
                _writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var member = reader.GetString()!;
                    var memberPlace = PlaceOf(reader, JsonText.Member(path, member));
                    reader.Read();
                    if (model.Members.TryGetValue(member, out var property))
                    {
                        Value(ref reader, property.Shape, property.Nullable, memberPlace.Path, member);
                        continue;
                    }

                    if (model.Computed.Contains(member))
                    {
                        // Written with the plan (DatabaseTarget.DrillMethod) and ignored when read, as the serializer does.
                        reader.Skip();
                        continue;
                    }

                    _places[memberPlace.Path] = memberPlace;
                    Refuse(memberPlace, $"unknown member '{PlanValidator.Printable(member)}' (member names are case-sensitive); {model.Noun} has {string.Join(", ", model.Members.Keys)}");
                    reader.Skip();
                }

                _writer.WriteEndObject();
                return true;
            case OneOrManyShape many when token == JsonTokenType.StartObject:
                return Value(ref reader, many.Item, nullable: false, path, name);
            case OneOrManyShape many when token == JsonTokenType.StartArray:
                return Value(ref reader, new ListShape(many.Item), nullable: false, path, name);
            default:
                var refused = Refuse(place, $"must be {shape.Expected}{(nullable ? " or null" : "")}, not {Found(reader)}");
                reader.Skip();
                return refused;
        }
    }

    private bool Refuse(JsonPlace place, string message)
    {
        _errors.Add(new PlanError(place.Path, message, place.Line, place.Column));
        _refused.Add(place.Path);
        return false;
    }

    private void WriteName(string? name)
    {
        if (name is not null)
        {
            _writer.WritePropertyName(name);
        }
    }

    private JsonPlace PlaceOf(in Utf8JsonReader reader, string path)
    {
        var (line, column) = _lines.At(reader.TokenStartIndex);
        return new JsonPlace(path, line, column);
    }

    /// <summary>Why a plan string is refused: a control character (a trailing newline included) or U+FFFD.</summary>
    private static string? BadCharacter(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return $"'{PlanValidator.Printable(text)}' holds a control character ({PlanValidator.Printable(c.ToString())}); no text in a plan may hold one, a trailing newline included";
            }
        }

        return text.Contains('\uFFFD', StringComparison.Ordinal)
            ? $"'{text}' holds U+FFFD, the replacement character: the text was not UTF-8 when it was written or converted; retype it"
            : null;
    }

    // What the document holds instead, for messages: "the string \"15m\"", "the number 1.5", "a list", ...
    private static string Found(in Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{Short(PlanValidator.Printable(reader.GetString()!))}\"",
        JsonTokenType.Number => $"the number {Short(System.Text.Encoding.UTF8.GetString(reader.ValueSpan))}",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        _ => reader.TokenType.ToString(),
    };

    private static string Short(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    // The shape of the JSON a model type reads from, from its source-generated metadata.
    private static Shape ShapeOf(Type type)
    {
        if (type == typeof(string))
        {
            return new TextShape();
        }

        if (type == typeof(int))
        {
            return new WholeNumberShape();
        }

        if (type == typeof(double))
        {
            return new NumberShape();
        }

        if (type == typeof(bool))
        {
            return new FlagShape();
        }

        var info = FailoverJson.Default.GetTypeInfo(type) ?? throw new InvalidOperationException($"{type} is not in FailoverJson");
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => new ListShape(ShapeOf(info.ElementType!)),
            JsonTypeInfoKind.Dictionary => new MapShape(ShapeOf(info.ElementType!)),
            JsonTypeInfoKind.Object => new ObjectShape(info),
            _ => throw new InvalidOperationException($"{type} has no plan shape"),
        };
    }

    private abstract record Shape(string Expected);

    private sealed record TextShape() : Shape("a string");

    private sealed record WholeNumberShape() : Shape("a whole number");

    private sealed record NumberShape() : Shape("a number");

    private sealed record FlagShape() : Shape("true or false");

    private sealed record ListShape(Shape Item) : Shape(Item switch
    {
        TextShape => "a list of strings",
        ObjectShape => "a list of objects",
        _ => "a list",
    });

    private sealed record MapShape(Shape Value) : Shape($"an object whose values are {(Value is TextShape ? "strings" : "values")}");

    // One object or a list of them: RecoveryPlan.Servers, one wave or several.
    private sealed record OneOrManyShape(Shape Item) : Shape("a group of servers (one wave) or an array of waves");

    private sealed record ObjectShape : Shape
    {
        private readonly JsonTypeInfo _info;
        private readonly Lazy<IReadOnlyDictionary<string, (Shape Shape, bool Nullable)>> _members;

        public ObjectShape(JsonTypeInfo info)
            : base("an object")
        {
            _info = info;
            Computed = info.Properties.Where(p => p.Set is null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            _members = new(() => info.Properties
                .Where(p => p.Set is not null)
                .ToDictionary(p => p.Name, p => (Member(p), p.IsSetNullable), StringComparer.Ordinal));
        }

        /// <summary>Members the model writes but never reads (get-only).</summary>
        public HashSet<string> Computed { get; }

        /// <summary>The members the model reads, in declaration order.</summary>
        public IReadOnlyDictionary<string, (Shape Shape, bool Nullable)> Members => _members.Value;

        /// <summary>What the object is, for messages ("a DatabaseTarget" reads worse than "this object").</summary>
        public string Noun => _info.Type == typeof(RecoveryPlan) ? "the plan" : "this object";

        private static Shape Member(JsonPropertyInfo property)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            return property.CustomConverter is ServerWavesJsonConverter
                ? new OneOrManyShape(ShapeOf(typeof(ServerGroup)))
                : ShapeOf(type);
        }
    }
}
