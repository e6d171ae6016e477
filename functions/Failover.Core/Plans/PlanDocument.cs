using System.Text;
using System.Text.Json;

namespace Failover.Core.Plans;

/// <summary>Raised when a plan cannot be used; lists every error with its JSON path.</summary>
public sealed class PlanInvalidException(IReadOnlyList<PlanError> errors)
    : Exception("Plan is invalid: " + string.Join("; ", errors))
{
    /// <summary>Every error found, in document order, each with its JSON path and, where known, line and column.</summary>
    public IReadOnlyList<PlanError> Errors { get; } = errors;
}

/// <summary>
/// Reads a plan from JSON and validates it, reporting every error at once, in document order, each with its JSON path,
/// line and column: bytes that are not UTF-8, text that is not JSON, keys given twice, members of the wrong type,
/// unknown members, nulls and control characters (<see cref="PlanJsonReader"/>), then the plan's rules
/// (<see cref="PlanValidator.Validate"/>) on everything that could be read.
/// </summary>
public static class PlanDocument
{
    /// <summary>Parses and validates; throws <see cref="PlanInvalidException"/> listing every problem.</summary>
    public static RecoveryPlan Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Parses and validates a plan file's bytes (UTF-8, with or without a byte order mark), applying
    /// <paramref name="moreRules"/> too (such as <see cref="PlanValidator.ValidateTriggerPlacement"/>) so their errors are
    /// located like the others; throws <see cref="PlanInvalidException"/> listing every problem.
    /// </summary>
    public static RecoveryPlan Parse(ReadOnlySpan<byte> utf8, Func<RecoveryPlan, IReadOnlyList<PlanError>>? moreRules = null)
    {
        var (start, notUtf8) = JsonText.CheckUtf8(utf8);
        if (notUtf8 is { } bad)
        {
            throw new PlanInvalidException([new PlanError("$", bad.Message, bad.Line, bad.Column)]);
        }

        var text = utf8[start..];
        List<PlanError> errors;
        try
        {
            errors = [.. JsonText.DuplicateKeys(text).Select(d => new PlanError(d.Place.Path,
                $"'{PlanValidator.Printable(d.Name)}' is given twice in this object (first on line {d.FirstLine}); a JSON reader keeps only the last, so the first would be dropped silently: keep one",
                d.Place.Line, d.Place.Column))];
        }
        catch (JsonException ex)
        {
            var (message, line, column) = JsonText.SyntaxError(ex);
            throw new PlanInvalidException([new PlanError("$", message, line, column)]);
        }

        var read = PlanJsonReader.Read(text);
        errors.AddRange(read.Errors);
        if (read.Repaired is null)
        {
            throw new PlanInvalidException(errors);
        }

        var plan = JsonSerializer.Deserialize(read.Repaired, FailoverJson.Default.RecoveryPlan)!;
        var rules = PlanValidator.Validate(plan).Concat(moreRules?.Invoke(plan) ?? [])
            .Where(e => !read.Refused.Any(refused => Related(e.Path, refused)))
            .Select(e => Locate(e, read.Places));
        errors.AddRange(rules);
        return errors.Count > 0
            ? throw new PlanInvalidException([.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)])
            : plan;
    }

    // A rule's error about a value that was refused (or about what holds it, or what it holds) repeats or follows from
    // the refusal: the refusal alone is reported.
    private static bool Related(string path, string refused) =>
        path == refused || path == "$" || Within(path, refused) || Within(refused, path);

    private static bool Within(string path, string ancestor) =>
        path.Length > ancestor.Length && path.StartsWith(ancestor, StringComparison.Ordinal) && path[ancestor.Length] is '.' or '[';

    // The place of the error's path, or of the nearest enclosing value the document has (a missing member's object).
    private static PlanError Locate(PlanError error, IReadOnlyDictionary<string, JsonPlace> places)
    {
        for (var path = error.Path; path.Length > 0; path = Parent(path))
        {
            if (places.TryGetValue(path, out var place))
            {
                return error with { Line = place.Line, Column = place.Column };
            }
        }

        return error;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut > 0 ? path[..cut] : "";
    }
}
