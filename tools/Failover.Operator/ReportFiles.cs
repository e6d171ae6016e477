using System.Text.Json;
using Failover.Core;
using Failover.Core.Reports;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>The report files a command writes (<c>--json</c>, <c>--markdown</c>): their folders are made before the run, so a run is never lost to a missing folder.</summary>
internal static class ReportFiles
{
    /// <summary>Creates each file's folder now; a folder that cannot be made is an input error before anything runs.</summary>
    public static void Prepare(params FileInfo?[] files)
    {
        foreach (var file in files.OfType<FileInfo>())
        {
            try
            {
                if (Directory.Exists(file.FullName))
                {
                    throw new IOException("it is a folder");
                }

                Directory.CreateDirectory(file.DirectoryName!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.InputError, $"Cannot write {file.FullName}: {ex.Message}", ex);
            }
        }
    }

    /// <summary>
    /// The files a run report goes to: <c>--json FILE</c> writes FILE and, beside it with the extensions .md and .html,
    /// the Markdown (unless <c>--markdown</c> places it elsewhere) and the HTML page; <c>--markdown</c> alone writes only
    /// the Markdown.
    /// </summary>
    public static (FileInfo? Json, FileInfo? Markdown, FileInfo? Html) ReportPaths(FileInfo? json, FileInfo? markdown) =>
        (json, markdown ?? Beside(json, ".md"), Beside(json, ".html"));

    /// <summary>Writes the run report as JSON, Markdown (<see cref="ReportMarkdown"/>) and HTML (<see cref="ReportHtml"/>), each when it has a file.</summary>
    public static async Task WriteReportAsync((FileInfo? Json, FileInfo? Markdown, FileInfo? Html) files, RunReport report, Terminal terminal, CancellationToken cancellationToken)
    {
        if (files.Json is { } json)
        {
            await WriteAsync(json, JsonSerializer.Serialize(report, FailoverJson.Indented.RunReport), "Report", terminal, cancellationToken);
        }

        if (files.Markdown is { } markdown)
        {
            await WriteAsync(markdown, ReportMarkdown.Render(report), "Report (Markdown)", terminal, cancellationToken);
        }

        if (files.Html is { } html)
        {
            await WriteAsync(html, ReportHtml.Render(report), "Report (HTML)", terminal, cancellationToken);
        }
    }

    private static FileInfo? Beside(FileInfo? json, string extension) => json is null ? null : new FileInfo(Path.ChangeExtension(json.FullName, extension));

    /// <summary>Writes one file (its folder made if need be) and says so on the progress console.</summary>
    public static async Task WriteAsync(FileInfo file, string content, string what, Terminal terminal, CancellationToken cancellationToken)
    {
        Prepare(file);
        await File.WriteAllTextAsync(file.FullName, content, cancellationToken);
        terminal.Progress.MarkupLineInterpolated($"{what} written to {file.FullName}");
    }
}
