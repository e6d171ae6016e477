using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Failover.Cli;
using Failover.Core.Reports;

namespace Failover.Cli.Tests.Html;

/// <summary>
/// The HTML run report: its timeline chart as markup, and as Chromium draws it (Debian's chromium package, headless:
/// a screenshot of the page and of the chart alone, whose pixels are read back).
/// </summary>
public sealed partial class ReportHtmlTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string _directory = Directory.CreateTempSubdirectory("failover-html-").FullName;

    // The servers branch ends last (at 8 s), so it, not the databases branch, is on the critical path.
    private static RunReport Report() => new()
    {
        Outcome = ReportOutcomes.Succeeded,
        Mode = "failover",
        Plan = "orders",
        Reason = "alarm <orders-primary-outage> & more",
        StartedAt = Start,
        EndedAt = Start.AddSeconds(10),
        RtoSeconds = 9.5,
        RtoObjectiveSeconds = 900,
        RpoSeconds = 2.5,
        RpoObjectiveSeconds = 60,
        Steps =
        [
            new("Prepare", "succeeded", 0, 0.5),
            new("Promote databases", "succeeded", 0.6, 0.4),
            new("Start recovery", "succeeded", 0.6, 0.3),
            new("Check databases", "succeeded", 1, 2),
            new("Check recovery", "succeeded", 1, 7),
            new("Switch traffic", "succeeded", 8.2, 0.8),
            new("Report", "succeeded", 9.2, 0.5),
        ],
        Waves = [new WaveReport("wave 1", "launched", Start.AddSeconds(0.6), 7.2, 4, 4, 0, [])],
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Render_WhenTheServersBranchEndedLast_ShouldDrawEveryStepAndWaveAndOutlineOnlyTheCriticalPath()
    {
        // Act
        var timeline = Timeline(ReportHtml.Render(Report()));

        // Assert
        var bars = timeline.Descendants(Svg + "rect").Where(r => r.Attribute("data-step") is not null).ToDictionary(r => r.Attribute("data-step")!.Value, r => r.Attribute("class")!.Value);
        Assert.Equal(["Prepare", "Promote databases", "Start recovery", "Check databases", "Check recovery", "Switch traffic", "Report"], bars.Keys);
        Assert.Equal(["Prepare", "Start recovery", "Check recovery", "Switch traffic", "Report"], bars.Where(b => b.Value.Split(' ').Contains("critical")).Select(b => b.Key));
        Assert.Contains("phase-servers", bars["Check recovery"], StringComparison.Ordinal);
        Assert.Contains("phase-databases", bars["Check databases"], StringComparison.Ordinal);
        var wave = Assert.Single(timeline.Descendants(Svg + "rect"), r => r.Attribute("data-wave")?.Value == "wave 1");
        Assert.Equal("bar wave", wave.Attribute("class")!.Value);
    }

    [Fact]
    public void Render_WhenTextHoldsMarkup_ShouldEscapeItAndFetchNothing()
    {
        var html = ReportHtml.Render(Report());

        Assert.Contains("alarm &lt;orders-primary-outage&gt; &amp; more", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<orders-primary-outage>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(src|href)\s*=", html);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WhenOpenedInHeadlessChromium_ShouldPaintEachBarInItsPhaseColourWithTheCriticalPathOutlined()
    {
        // Arrange: the page, and the chart alone (drawn from its own top-left corner, so its coordinates are the pixels').
        var html = ReportHtml.Render(Report());
        var timeline = Timeline(html);
        var page = Path.Combine(_directory, "report.html");
        var chart = Path.Combine(_directory, "timeline.svg");
        await File.WriteAllTextAsync(page, html);
        await File.WriteAllTextAsync(chart, timeline.ToString());
        var (width, height) = ((int)double.Parse(timeline.Attribute("width")!.Value, CultureInfo.InvariantCulture), (int)double.Parse(timeline.Attribute("height")!.Value, CultureInfo.InvariantCulture));

        // Act
        var pageShot = Png.Read(await ScreenshotAsync(page, 1000, 1400));
        var chartShot = Png.Read(await ScreenshotAsync(chart, width, height));

        // Assert: the page is drawn (its heading in the succeeded colour somewhere near the top).
        Assert.Equal((1000, 1400), (pageShot.Width, pageShot.Height));
        Assert.Contains(Enumerable.Range(0, 80).SelectMany(y => Enumerable.Range(0, 600).Select(x => pageShot.At(x, y))), c => Near(c, "#137333"));
        foreach (var (step, colour) in new[] { ("Check recovery", "#2b9a66"), ("Check databases", "#2f6fde"), ("Switch traffic", "#8e44ad") })
        {
            var bar = timeline.Descendants(Svg + "rect").Single(r => r.Attribute("data-step")?.Value == step);
            double Number(string name) => double.Parse(bar.Attribute(name)!.Value, CultureInfo.InvariantCulture);
            var (x, y, w, h) = (Number("x"), Number("y"), Number("width"), Number("height"));
            Assert.True(Near(chartShot.At((int)(x + (w / 2)), (int)(y + (h / 2))), colour), $"{step}: {chartShot.At((int)(x + (w / 2)), (int)(y + (h / 2)))} at its centre, expected {colour}");
            // The 2-unit outline straddles the bar's left edge: its darkest pixel across the edge, whatever the anti-aliasing.
            var edge = Enumerable.Range((int)Math.Floor(x) - 1, 3).Select(px => chartShot.At(px, (int)(y + (h / 2)))).MinBy(Luminance)!;
            var critical = step != "Check databases";
            Assert.True(Near(edge, "#1d2330") == critical, $"{step}: {edge} on its left edge; outlined expected {critical}");
        }
    }

    private static int Luminance(string colour) => Enumerable.Range(0, 3).Sum(i => Convert.ToInt32(colour.Substring(1 + (2 * i), 2), 16));

    private static XElement Timeline(string html) =>
        XElement.Parse(TimelineSvg().Match(html) is { Success: true } match ? match.Value : throw new InvalidOperationException("no timeline SVG in the page"));

    // Colours as drawn may differ by anti-aliasing and colour management: a few units per channel.
    private static bool Near(string drawn, string expected) =>
        Enumerable.Range(0, 3).All(i => Math.Abs(Convert.ToInt32(drawn.Substring(1 + (2 * i), 2), 16) - Convert.ToInt32(expected.Substring(1 + (2 * i), 2), 16)) <= 12);

    private async Task<byte[]> ScreenshotAsync(string file, int width, int height)
    {
        var shot = Path.Combine(_directory, Path.GetFileNameWithoutExtension(file) + ".png");
        var profile = Directory.CreateTempSubdirectory("failover-chromium-").FullName;
        var start = new ProcessStartInfo("chromium")
        {
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-color-profile=srgb", $"--user-data-dir={profile}", $"--screenshot={shot}", $"--window-size={width},{height}", new Uri(file).AbsoluteUri },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var chromium = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var error = chromium.StandardError.ReadToEndAsync(timeout.Token);
            await chromium.StandardOutput.ReadToEndAsync(timeout.Token);
            await chromium.WaitForExitAsync(timeout.Token);
            Assert.True(File.Exists(shot), $"chromium wrote no screenshot (exit {chromium.ExitCode}): {await error}");
            return await File.ReadAllBytesAsync(shot);
        }
        finally
        {
            if (!chromium.HasExited)
            {
                chromium.Kill(entireProcessTree: true);
            }

            Directory.Delete(profile, recursive: true);
        }
    }

    [GeneratedRegex(@"<svg id=""timeline"".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex TimelineSvg();
}
