using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Failover.Functions.Tests.Plans;

/// <summary>
/// Validates JSON documents against a JSON Schema (draft 2020-12) with Python's jsonschema package, the reference
/// validator the schema's users will meet (cfn-lint brings it along); a key given twice in one object is reported too. Missing python3 or jsonschema fails the
/// test with a message saying what to install: the schema must be checked, never skipped.
/// </summary>
internal static class JsonSchemaValidator
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private const string Script = """
        import json, sys
        try:
            import jsonschema
        except ImportError as error:
            print("the Python package jsonschema is not installed for " + sys.executable + ": " + str(error), file=sys.stderr)
            sys.exit(3)
        with open(sys.argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        results = {}
        for name in sys.argv[2:]:
            # A key given twice is an error (json.load would keep the last silently), as PlanDocument reports it.
            duplicates = []
            def refuse_duplicates(pairs):
                keys = [key for key, _ in pairs]
                duplicates.extend("duplicate key '%s'" % key for key in sorted(set(keys)) if keys.count(key) > 1)
                return dict(pairs)
            with open(name, encoding="utf-8") as f:
                document = json.load(f, object_pairs_hook=refuse_duplicates)
            results[name] = duplicates + ["$" + "".join("[%d]" % p if isinstance(p, int) else "." + p for p in e.absolute_path) + ": " + e.message
                                          for e in validator.iter_errors(document)]
        print(json.dumps(results))
        """;

    /// <summary>Validates every document (name → JSON text); returns each one's schema errors (empty when valid).</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ValidateAsync(string schemaPath, IReadOnlyDictionary<string, string> documents)
    {
        var directory = Path.Combine(Path.GetTempPath(), "failover-schema-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var script = Path.Combine(directory, "validate.py");
            await File.WriteAllTextAsync(script, Script);
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var (name, json) in documents)
            {
                var file = Path.Combine(directory, $"document-{index++}.json");
                await File.WriteAllTextAsync(file, json);
                files[file] = name;
            }

            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(schemaPath);
            foreach (var file in files.Keys)
            {
                start.ArgumentList.Add(file);
            }

            using var process = StartOrFail(start);
            using var cancellation = new CancellationTokenSource(Timeout);
            var output = process.StandardOutput.ReadToEndAsync(cancellation.Token);
            var errors = process.StandardError.ReadToEndAsync(cancellation.Token);
            await process.WaitForExitAsync(cancellation.Token);
            if (process.ExitCode != 0)
            {
                Assert.Fail($"python3 could not validate against {schemaPath} (exit code {process.ExitCode}). Install Python 3 with the jsonschema package (pip install jsonschema; cfn-lint installs it too).{Environment.NewLine}{await errors}");
            }

            using var results = JsonDocument.Parse(await output);
            return results.RootElement.EnumerateObject().ToDictionary(
                p => files[p.Name],
                p => (IReadOnlyList<string>)[.. p.Value.EnumerateArray().Select(e => e.GetString()!)],
                StringComparer.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Process StartOrFail(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"python3 is required to check plan.schema.json and was not found on PATH ({ex.Message}). Install Python 3 with the jsonschema package (pip install jsonschema; cfn-lint installs it too).");
            throw;
        }
    }
}
