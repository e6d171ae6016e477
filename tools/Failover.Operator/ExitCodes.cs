namespace Failover.Cli;

/// <summary>The exit codes every <c>failover</c> command documents (README, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Done: the run succeeded, the request was sent, the plan is valid.</summary>
    public const int Success = 0;

    /// <summary>The run failed, a check did not hold, or AWS refused the request.</summary>
    public const int Failed = 1;

    /// <summary>Usage or input error: a missing or malformed option, file, event, plan or ARN; nothing was done.</summary>
    public const int InputError = 2;

    /// <summary>AWS could not be reached or used: no answer, no credentials, access denied, or the endpoint is not AWS.</summary>
    public const int AwsUnavailable = 3;

    /// <summary>Interrupted (Ctrl-C): 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;
}

/// <summary>An error the command line reports as one line and an exit code (no stack trace).</summary>
public sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>One of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;
}
