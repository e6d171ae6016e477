using System.Text.RegularExpressions;
using Amazon.Runtime;
using Failover.Aws.Transport;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>
/// How every command reports what went wrong: one line on stderr and a documented exit code (<see cref="ExitCodes"/>);
/// the exception itself (stack trace included) only with <c>--debug</c>.
/// </summary>
public static partial class CliErrors
{
    /// <summary>
    /// AWS error codes that mean the request itself was wrong (a malformed ARN, name or parameter): an input error.
    /// Names from the Step Functions, CloudFormation and RDS API references' "Errors" sections.
    /// </summary>
    private static readonly HashSet<string> InputErrorCodes = new(StringComparer.Ordinal)
    {
        "InvalidArn", "InvalidName", "InvalidExecutionInput", "ValidationError", "ValidationException",
        "InvalidParameterValue", "InvalidParameterValueException", "InvalidParameterCombination", "MissingParameter",
    };

    /// <summary>
    /// Runs a command's body and turns whatever it throws into one line and an exit code; Ctrl-C
    /// (<paramref name="cancellationToken"/> cancelled) is <see cref="ExitCodes.Interrupted"/>.
    /// </summary>
    public static async Task<int> GuardAsync(Terminal terminal, Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return terminal.Fail(ExitCodes.Interrupted, "interrupted.");
        }
        catch (Exception ex)
        {
            return Report(ex, terminal);
        }
    }

    /// <summary>Prints <paramref name="exception"/> as one line on <see cref="Terminal.Error"/> and returns its exit code.</summary>
    public static int Report(Exception exception, Terminal terminal)
    {
        var (exitCode, message) = Describe(exception);
        terminal.Fail(exitCode, message);
        if (terminal.Debug)
        {
            terminal.Error.WriteLine(exception.ToString());
        }

        return exitCode;
    }

    /// <summary>The exit code and the one line that says what happened and, where it helps, what to do.</summary>
    public static (int ExitCode, string Message) Describe(Exception exception) => exception switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        AwsServiceException e when IsNotAnAwsAnswer(e) => (ExitCodes.AwsUnavailable,
            $"{e.Service} {e.Operation}: the endpoint answered HTTP {(int?)e.StatusCode} without an AWS error ({Shape(e.ServiceMessage)}). Is the endpoint right (--endpoint-url, AWS_ENDPOINT_URL), and does it serve {e.Service}?"),
        AwsAccessDeniedException e => (ExitCodes.AwsUnavailable, $"AWS denied access: {Call(e)}"),
        AwsTransientException e when e.StatusCode is null => (ExitCodes.AwsUnavailable, $"AWS did not answer: {Call(e)}"),
        AwsTransientException e => (ExitCodes.AwsUnavailable, $"AWS could not serve the request, try again: {Call(e)}"),
        AwsNotFoundException e => (ExitCodes.InputError, $"Not found: {Call(e)}"),
        AwsServiceException e when InputErrorCodes.Contains(e.ErrorCode) => (ExitCodes.InputError, $"AWS refused the input: {Call(e)}"),
        AwsServiceException e => (ExitCodes.Failed, $"AWS refused: {Call(e)}"),
        AmazonClientException e => (ExitCodes.AwsUnavailable, $"AWS credentials: {OneLine(e.Message)}"),
        IOException or UnauthorizedAccessException => (ExitCodes.InputError, OneLine(exception.Message)),
        _ => (ExitCodes.Failed, $"unexpected {exception.GetType().Name}: {OneLine(exception.Message)} (--debug shows where)"),
    };

    /// <summary>"service operation: code: message", the service's message on one line.</summary>
    private static string Call(AwsServiceException e) => $"{e.Service} {e.Operation}: {e.ErrorCode}: {OneLine(e.ServiceMessage)}";

    /// <summary>
    /// Every AWS error response names its error code (a header, __type, code or Code); the transport invents
    /// "Http404" when there was none, so the answer came from something else (a web server, a proxy, a service the
    /// endpoint does not serve).
    /// </summary>
    private static bool IsNotAnAwsAnswer(AwsServiceException e) => e.StatusCode is { } status && e.ErrorCode == $"Http{(int)status}";

    private static string Shape(string body)
    {
        var text = body.TrimStart();
        return text.Length == 0 ? "an empty body"
            : text.StartsWith('<') ? "an HTML or XML page"
            : "a body of another kind";
    }

    internal static string OneLine(string text)
    {
        var line = Whitespace().Replace(text, " ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
