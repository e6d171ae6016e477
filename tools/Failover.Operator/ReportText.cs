using System.Globalization;
using Failover.Core.Reports;

namespace Failover.Cli;

/// <summary>The words and figures every rendering of a run report (Markdown, HTML) uses, so they read the same.</summary>
internal static class ReportText
{
    /// <summary>"Failover of plan orders: succeeded", "Drill of plan orders: partial".</summary>
    public static string Title(RunReport report) => $"{(report.Drill is null ? Capitalised(report.Mode) : "Drill")} of plan";

    /// <summary>Seconds with up to three decimals: "12.5 s".</summary>
    public static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>Seconds, or "n/a" when unknown.</summary>
    public static string Figure(double? value) => value is { } seconds ? Seconds(seconds) : "n/a";

    /// <summary>"met" or "missed" for an objective; null when unknown.</summary>
    public static string? Verdict(bool? met) => met switch
    {
        true => "met",
        false => "missed",
        null => null,
    };

    private static string Capitalised(string mode) => mode.Length == 0 ? "Run" : char.ToUpperInvariant(mode[0]) + mode[1..];
}
