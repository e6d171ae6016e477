using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Failover.Core.Plans;

/// <summary>A place in a JSON document: its path (<c>$.a.b[0]</c>) and its line and column, both counted from 1.</summary>
/// <param name="Path">The JSON path of the member or element.</param>
/// <param name="Line">Line from 1.</param>
/// <param name="Column">Column from 1, in characters.</param>
internal sealed record JsonPlace(string Path, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path} (line {Line}, column {Column})";
}

/// <summary>
/// Checks every plan and event text must pass before a serializer reads it, because System.Text.Json lets these
/// through silently: bytes that are not UTF-8 (decoded as replacement characters) and a key given twice in one
/// object (the last one wins, the first is dropped). Also builds JSON paths and maps byte offsets to lines.
/// </summary>
internal static class JsonText
{
    /// <summary>Reader options of every product document: comments skipped and trailing commas allowed, as <see cref="FailoverJson"/> reads.</summary>
    public static JsonReaderOptions ReaderOptions { get; } = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The path of member <paramref name="name"/> of the object at <paramref name="parent"/>: <c>.name</c>, or <c>['name']</c> for names that are not plain words.</summary>
    public static string Member(string parent, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0])
            ? $"{parent}.{name}"
            : $"{parent}['{PlanValidator.Printable(name).Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Element(string parent, int index) => $"{parent}[{index}]";

    /// <summary>
    /// Where the text starts after a leading UTF-8 byte order mark; and, when the bytes are not UTF-8, an error naming
    /// the byte offset of the first bad byte and its line and column.
    /// </summary>
    public static (int Start, (string Message, int Line, int Column)? Error) CheckUtf8(ReadOnlySpan<byte> utf8)
    {
        var start = utf8.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
        var rest = utf8[start..];
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, rest.Length));
        try
        {
            if (Utf8.ToUtf16(rest, chars, out var valid, out _, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                return (start, null);
            }

            var offset = start + valid;
            var (line, column) = new LineMap(utf8).At(offset);
            return (start, ($"the text is not UTF-8: byte 0x{utf8[offset]:X2} at byte offset {offset} does not start a valid UTF-8 character; save the file as UTF-8", line, column));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>
    /// Every key given more than once in the same object, each at its second (or later) occurrence, with the line of the
    /// first. Throws <see cref="JsonException"/> when the text is not JSON (<see cref="SyntaxError"/> describes it).
    /// </summary>
    public static IReadOnlyList<(JsonPlace Place, string Name, int FirstLine)> DuplicateKeys(ReadOnlySpan<byte> utf8)
    {
        var lines = new LineMap(utf8);
        var found = new List<(JsonPlace, string, int)>();
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var scopes = new Stack<(string Path, Dictionary<string, int>? Keys, int Index)>();
        var path = "$";
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token == JsonTokenType.PropertyName)
            {
                var (parent, keys, _) = scopes.Peek();
                var name = reader.GetString()!;
                path = Member(parent, name);
                var (line, column) = lines.At(reader.TokenStartIndex);
                if (!keys!.TryAdd(name, line))
                {
                    found.Add((new JsonPlace(path, line, column), name, keys[name]));
                }

                continue;
            }

            if (token is not (JsonTokenType.EndObject or JsonTokenType.EndArray) && scopes.TryPeek(out var scope) && scope.Keys is null)
            {
                // An element of an array: its path is the array's plus its index.
                path = Element(scope.Path, scope.Index);
                scopes.Pop();
                scopes.Push(scope with { Index = scope.Index + 1 });
            }

            switch (token)
            {
                case JsonTokenType.StartObject:
                    scopes.Push((path, new Dictionary<string, int>(StringComparer.Ordinal), 0));
                    break;
                case JsonTokenType.StartArray:
                    scopes.Push((path, null, 0));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    scopes.Pop();
                    break;
            }
        }

        return found;
    }

    /// <summary>What is wrong with text that is not JSON, and where (line and column from 1; System.Text.Json counts from 0).</summary>
    public static (string Message, int Line, int Column) SyntaxError(JsonException ex)
    {
        // The reader's message ends with its own 0-based position ("LineNumber: 2 | BytePositionInLine: 7."): replaced by ours.
        var message = ex.Message;
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at > 0)
        {
            message = message[..at];
        }

        return ($"the text is not valid JSON: {message}", (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1);
    }

    /// <summary>Maps byte offsets of a UTF-8 text to lines and columns counted from 1 (columns in characters).</summary>
    internal sealed class LineMap
    {
        private readonly byte[] _text;
        private readonly List<int> _lineStarts = [0];

        public LineMap(ReadOnlySpan<byte> utf8)
        {
            _text = utf8.ToArray();
            for (var i = 0; i < _text.Length; i++)
            {
                if (_text[i] == (byte)'\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        /// <summary>Line and column of the byte at <paramref name="offset"/>.</summary>
        public (int Line, int Column) At(long offset)
        {
            var index = _lineStarts.BinarySearch((int)offset);
            var line = index >= 0 ? index : ~index - 1;
            var start = _lineStarts[line];
            var column = Encoding.UTF8.GetCharCount(_text.AsSpan(start, (int)offset - start)) + 1;
            return (line + 1, column);
        }
    }
}
