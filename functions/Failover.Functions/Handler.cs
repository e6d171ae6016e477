using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Failover.Core.Services;

namespace Failover.Functions;

/// <summary>The shared shape of every handler: read JSON, call one service, write JSON.</summary>
internal static class Handler
{
    public static async Task<Stream> RunAsync<TIn, TOut>(FunctionHost host, string function, Stream input, JsonTypeInfo<TIn> inputType, JsonTypeInfo<TOut> outputType,
        Func<TIn, CancellationToken, Task<TOut>> work, CancellationToken cancellationToken)
    {
        TIn request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(input, inputType, cancellationToken)
                ?? throw new InvalidRunInputException($"{function}: input is null");
        }
        catch (JsonException ex)
        {
            throw new InvalidRunInputException($"{function}: input is not valid at {ex.Path ?? "$"}: {ex.Message}");
        }

        try
        {
            var result = await work(request, cancellationToken);
            var output = new MemoryStream();
            await JsonSerializer.SerializeAsync(output, result, outputType, cancellationToken);
            output.Position = 0;
            return output;
        }
        catch (Exception ex)
        {
            // The exception's type name becomes the Step Functions error name; log it with the same name.
            host.Log.Write("ERROR", ex.Message, [new("function", function), new("error", ex.GetType().Name)]);
            throw;
        }
    }
}
