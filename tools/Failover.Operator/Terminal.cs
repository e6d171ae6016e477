using Spectre.Console;

namespace Failover.Cli;

/// <summary>The values of <c>--output</c>.</summary>
public static class OutputFormats
{
    /// <summary>For people: tables and sentences (the default).</summary>
    public const string Text = "text";

    /// <summary>For scripts: one JSON document on stdout; progress goes to stderr.</summary>
    public const string Json = "json";
}

/// <summary>
/// Where a command writes: results on <see cref="Out"/> (stdout), errors and <c>--debug</c> on <see cref="Error"/>
/// (stderr), and progress on <see cref="Progress"/> (stdout, or stderr when stdout carries JSON).
/// </summary>
public sealed class Terminal(IAnsiConsole output, IAnsiConsole error, bool json = false, bool debug = false)
{
    /// <summary>Wide enough that no table wraps a row or splits an ARN when the output is not a terminal.</summary>
    public const int PipedWidth = 10_000;

    /// <summary>Results.</summary>
    public IAnsiConsole Out { get; } = output;

    /// <summary>Errors and debug lines.</summary>
    public IAnsiConsole Error { get; } = error;

    /// <summary>What a person watches while the command works; never mixed into JSON output.</summary>
    public IAnsiConsole Progress => Json ? Error : Out;

    /// <summary><c>--output json</c>: stdout holds one JSON document.</summary>
    public bool Json { get; } = json;

    /// <summary><c>--debug</c>: settings, AWS requests and stack traces on stderr.</summary>
    public bool Debug { get; } = debug;

    /// <summary>
    /// Asks a person a question and returns the line typed (null at end of input); null when nobody can be asked: the
    /// input is not a terminal, or the output is not one to show the question on.
    /// </summary>
    public Func<string, string?>? Ask { get; init; }

    /// <summary>Reports a command's own refusal as one line on stderr and returns <paramref name="exitCode"/>.</summary>
    public int Fail(int exitCode, string message)
    {
        Error.MarkupLineInterpolated($"[red]failover:[/] {message}");
        return exitCode;
    }

    /// <summary>Writes a JSON document to stdout as it is: no markup, no wrapping.</summary>
    public void WriteJson(string json) => Out.Profile.Out.Writer.WriteLine(json);

    /// <summary>A terminal that writes results and errors to the same console (for callers that want one stream).</summary>
    public static Terminal Single(IAnsiConsole console) => new(console, console);

    /// <summary>
    /// Consoles over the two writers. ANSI codes (colour and bold alike) only reach a writer that is the process's
    /// own, unredirected stdout or stderr, and only when <paramref name="colour"/> is on; anything else gets plain text
    /// <see cref="PipedWidth"/> wide.
    /// </summary>
    public static Terminal Create(TextWriter output, TextWriter error, bool colour, bool json, bool debug)
    {
        if (!colour)
        {
            // Without ANSI, Spectre falls back to System.Console's colour properties, which .NET on Unix turns into ANSI
            // codes on a terminal unless NO_COLOR is set (read at their first use, which has not happened yet).
            Environment.SetEnvironmentVariable("NO_COLOR", "1");
        }

        var errorConsole = Console(error, IsTerminal(error), colour);
        return new(Console(output, IsTerminal(output), colour), errorConsole, json, debug)
        {
            // The question goes to stderr, so it shows also when stdout carries JSON or is piped.
            Ask = System.Console.IsInputRedirected || !IsTerminal(error) ? null : question =>
            {
                errorConsole.Markup(Markup.Escape(question) + " ");
                return System.Console.ReadLine();
            },
        };
    }

    /// <summary>Colour is wanted unless <c>--no-color</c> is given or NO_COLOR is set to anything but empty (no-color.org).</summary>
    public static bool ColourWanted(bool noColorOption, Func<string, string?> getVariable) =>
        !noColorOption && string.IsNullOrEmpty(getVariable("NO_COLOR"));

    /// <summary>A console over <paramref name="writer"/>: ANSI only on a terminal with colour wanted, else plain and wide.</summary>
    public static IAnsiConsole Console(TextWriter writer, bool isTerminal, bool colour)
    {
        var ansi = isTerminal && colour;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = ansi ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ansi ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = PipedWidth;
        }

        return console;
    }

    private static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected)
        || (ReferenceEquals(writer, System.Console.Error) && !System.Console.IsErrorRedirected);
}
