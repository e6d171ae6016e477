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

    /// <summary>Writes the run report as JSON and/or Markdown (<see cref="ReportMarkdown"/>), each when asked.</summary>
    public static async Task WriteReportAsync(FileInfo? json, FileInfo? markdown, RunReport report, Terminal terminal, CancellationToken cancellationToken)
    {
        if (json is not null)
        {
            await WriteAsync(json, JsonSerializer.Serialize(report, FailoverJson.Indented.RunReport), "Report", terminal, cancellationToken);
        }

        if (markdown is not null)
        {
            await WriteAsync(markdown, ReportMarkdown.Render(report), "Report (Markdown)", terminal, cancellationToken);
        }
    }

    /// <summary>Writes one file (its folder made if need be) and says so on the progress console.</summary>
    public static async Task WriteAsync(FileInfo file, string content, string what, Terminal terminal, CancellationToken cancellationToken)
    {
        Prepare(file);
        await File.WriteAllTextAsync(file.FullName, content, cancellationToken);
        terminal.Progress.MarkupLineInterpolated($"{what} written to {file.FullName}");
    }
}
