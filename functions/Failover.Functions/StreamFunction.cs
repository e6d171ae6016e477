using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Failover.Core.Services;

namespace Failover.Functions;

/// <summary>
/// The shape of every workflow handler: read JSON, call one domain service, write JSON. The Lambda
/// runtime calls <see cref="HandleAsync"/> (Stream in, Stream out); the local gateway calls <see cref="InvokeAsync"/>.
/// </summary>
/// <typeparam name="TInput">The task's input document.</typeparam>
/// <typeparam name="TOutput">The task's result document.</typeparam>
public abstract class StreamFunction<TInput, TOutput>(FunctionHost host, JsonTypeInfo<TInput> inputType, JsonTypeInfo<TOutput> outputType)
{
    /// <summary>The container's composition root.</summary>
    protected FunctionHost Host { get; } = host;

    /// <summary>Lambda entry point: cancelled shortly before the function's timeout.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var deadline = Host.InvocationDeadline();
        return await InvokeAsync(input, deadline.Token);
    }

    /// <summary>Handles one invocation; an exception's type name becomes the Step Functions error name.</summary>
    public async Task<Stream> InvokeAsync(Stream input, CancellationToken cancellationToken)
    {
        var function = GetType().Name;
        try
        {
            TInput request;
            try
            {
                request = await JsonSerializer.DeserializeAsync(input, inputType, cancellationToken)
                    ?? throw new InvalidRunInputException($"{function}: input is null");
            }
            catch (JsonException ex)
            {
                throw new InvalidRunInputException($"{function}: input is not valid at {ex.Path ?? "$"}: {ex.Message}");
            }

            var result = await RunAsync(request, cancellationToken);
            var output = new MemoryStream();
            await JsonSerializer.SerializeAsync(output, result, outputType, cancellationToken);
            output.Position = 0;
            return output;
        }
        catch (Exception ex)
        {
            Host.Log.Write("ERROR", ex.Message, [new("function", function), new("error", ex.GetType().Name)]);
            throw;
        }
    }

    /// <summary>The one domain call this handler makes.</summary>
    protected abstract Task<TOutput> RunAsync(TInput input, CancellationToken cancellationToken);
}
