using System.Net;
using Amazon.Runtime;
using Failover.Aws.Transport;
using Failover.Cli;

namespace Failover.Cli.Tests;

public sealed class CliErrorsTests
{
    public static TheoryData<Exception, int, string> Cases => new()
    {
        { new AwsTransientException("stepfunctions", "DescribeExecution", "RequestTimeout", null, null, "no response within 10 s from http://127.0.0.1:4566/"), 3, "AWS did not answer: stepfunctions DescribeExecution: RequestTimeout: no response within 10 s" },
        { new AwsTransientException("rds", "DescribeDBInstances", "InternalFailure", HttpStatusCode.ServiceUnavailable, "r-1", "busy"), 3, "AWS could not serve the request, try again: rds DescribeDBInstances: InternalFailure: busy" },
        { new AwsAccessDeniedException("stepfunctions", "StartExecution", "AccessDeniedException", HttpStatusCode.BadRequest, "r-1", "not authorized"), 3, "AWS denied access: stepfunctions StartExecution: AccessDeniedException: not authorized" },
        { new AwsNotFoundException("drs", "DescribeJobs", "Http404", HttpStatusCode.NotFound, null, "<!DOCTYPE html>\n<title>404 Not Found</title>"), 3, "drs DescribeJobs: the endpoint answered HTTP 404 without an AWS error (an HTML or XML page)" },
        { new AwsNotFoundException("stepfunctions", "DescribeExecution", "ExecutionDoesNotExist", HttpStatusCode.BadRequest, "r-1", "Execution Does Not Exist"), 2, "Not found: stepfunctions DescribeExecution: ExecutionDoesNotExist" },
        { new AwsServiceException("cloudformation", "DescribeStacks", "ValidationError", HttpStatusCode.BadRequest, "r-1", "Stack with id x does not exist"), 2, "AWS refused the input: cloudformation DescribeStacks: ValidationError" },
        { new AwsServiceException("stepfunctions", "StartExecution", "ExecutionLimitExceeded", HttpStatusCode.BadRequest, "r-1", "too many\n   executions"), 1, "AWS refused: stepfunctions StartExecution: ExecutionLimitExceeded: too many executions" },
        { new AmazonClientException("SSO token has expired"), 3, "AWS credentials: SSO token has expired" },
        { new DirectoryNotFoundException("Could not find a part of the path '/x/y.json'."), 2, "Could not find a part of the path" },
        { new InvalidCastException("boom"), 1, "unexpected InvalidCastException: boom (--debug shows where)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Report_WhenACommandThrows_ShouldPrintOneLineOnStderrAndReturnItsExitCode(Exception exception, int exitCode, string expected)
    {
        // Arrange
        using var captured = new CapturedTerminal();

        // Act
        var actual = CliErrors.Report(exception, captured.Terminal);

        // Assert
        Assert.Equal(exitCode, actual);
        var line = Assert.Single(captured.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("failover: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal("", captured.Out);
    }

    [Fact]
    public async Task TranslateAsync_WhenTheLocalAwsFails_ShouldBeAnInputErrorThatSaysWhatItReported()
    {
        // Arrange
        using var captured = new CapturedTerminal();

        // Act: as simulate and local run their bodies.
        var exitCode = await CliErrors.GuardAsync(captured.Terminal, () => LocalAwsErrors.TranslateAsync(
            () => throw new Failover.Local.LocalAwsException("moto refused to execute\n   state machines: HTTP 500")), CancellationToken.None);

        // Assert
        Assert.Equal(2, exitCode);
        var line = Assert.Single(captured.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("failover: Local AWS error: moto refused to execute state machines: HTTP 500", line.TrimEnd());
    }

    [Fact]
    public async Task GuardAsync_WhenCtrlCCancelsTheCommand_ShouldExit130()
    {
        // Arrange
        using var captured = new CapturedTerminal();
        using var interrupt = new CancellationTokenSource();
        await interrupt.CancelAsync();

        // Act
        var exitCode = await CliErrors.GuardAsync(captured.Terminal, async () =>
        {
            await Task.Delay(Timeout.Infinite, interrupt.Token);
            return 0;
        }, interrupt.Token);

        // Assert
        Assert.Equal(130, exitCode);
        Assert.Contains("interrupted", captured.Error, StringComparison.Ordinal);
    }
}
