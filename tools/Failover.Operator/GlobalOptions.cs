using System.CommandLine;

namespace Failover.Cli;

/// <summary>
/// The options every command accepts, as the AWS CLI spells them: <c>--profile</c>, <c>--region</c>,
/// <c>--endpoint-url</c>, <c>--output json|text</c>, <c>--debug</c>, plus <c>--no-color</c>.
/// </summary>
public sealed class GlobalOptions
{
    /// <summary>Named profile of ~/.aws/config and ~/.aws/credentials.</summary>
    public Option<string?> Profile { get; } = new("--profile") { Description = "Use this named profile's credentials and region (~/.aws/config, ~/.aws/credentials).", Recursive = true };

    /// <summary>Region to call.</summary>
    public Option<string?> Region { get; } = new("--region")
    {
        Description = "Region to call (default: the ARN's region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then the plan's recovery region).",
        Recursive = true,
    };

    /// <summary>Endpoint for every AWS call.</summary>
    public Option<Uri?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "Send every AWS call here, e.g. a local AWS (default: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, then AWS).",
        Recursive = true,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            r.AddError($"--endpoint-url '{text}' is not an absolute http(s) URL");
            return null;
        },
    };

    /// <summary>text (for people) or json (for scripts).</summary>
    public Option<string> Output { get; } = CreateOutput();

    /// <summary>Settings, AWS requests and stack traces on stderr.</summary>
    public Option<bool> Debug { get; } = new("--debug") { Description = "Print the resolved settings, every AWS request and, on failure, the full exception to stderr.", Recursive = true };

    /// <summary>No ANSI codes at all (as NO_COLOR).</summary>
    public Option<bool> NoColor { get; } = new("--no-color") { Description = "No colour or other ANSI codes (also when NO_COLOR is set, or the output is not a terminal).", Recursive = true };

    /// <summary>Adds the options to the root command; they apply to every subcommand.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Profile);
        root.Options.Add(Region);
        root.Options.Add(EndpointUrl);
        root.Options.Add(Output);
        root.Options.Add(Debug);
        root.Options.Add(NoColor);
    }

    /// <summary>The consoles for this invocation, over the invocation's output and error writers.</summary>
    public Terminal Terminal(ParseResult result) => Cli.Terminal.Create(
        result.InvocationConfiguration.Output, result.InvocationConfiguration.Error,
        Cli.Terminal.ColourWanted(result.GetValue(NoColor), Environment.GetEnvironmentVariable),
        result.GetValue(Output) == OutputFormats.Json, result.GetValue(Debug));

    /// <summary>Where and as whom to call AWS, from the options (and, when resolved, the environment and profile).</summary>
    public AwsSession Session(ParseResult result) => new()
    {
        Profile = result.GetValue(Profile),
        Region = result.GetValue(Region),
        EndpointUrl = result.GetValue(EndpointUrl),
    };

    /// <summary>
    /// An action that reports every failure as one line and an exit code (<see cref="CliErrors"/>), and Ctrl-C as 130.
    /// </summary>
    public Func<ParseResult, CancellationToken, Task<int>> Guarded(Func<ParseResult, Terminal, CancellationToken, Task<int>> action) =>
        (result, cancellationToken) =>
        {
            var terminal = Terminal(result);
            return CliErrors.GuardAsync(terminal, () => action(result, terminal, cancellationToken), cancellationToken);
        };

    private static Option<string> CreateOutput()
    {
        var output = new Option<string>("--output")
        {
            Description = "text (tables, for people) or json (one JSON document on stdout, progress on stderr).",
            DefaultValueFactory = _ => OutputFormats.Text,
            Recursive = true,
        };
        output.AcceptOnlyFromAmong(OutputFormats.Text, OutputFormats.Json);
        return output;
    }
}
