using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>Builds the registered pipeline: <see cref="QwenChatClient"/> → reasoning into metadata → SK's kernel function invocation.</summary>
internal static class QwenClientFactory
{
    public static IChatClient CreatePipeline(IServiceProvider services, QwenClientOptions options, HttpClient? httpClient, string? serviceId)
    {
        var loggerFactory = services.GetService<ILoggerFactory>();
        options.LoggerFactory ??= loggerFactory;
        var qwen = CreateClient(options, httpClient ?? services.GetService<HttpClient>(), serviceId);
        return qwen.AsBuilder()
            .Use(inner => new ReasoningMetadataChatClient(inner))
            .UseKernelFunctionInvocation(loggerFactory)
            .Build(services);
    }

    private static QwenChatClient CreateClient(QwenClientOptions options, HttpClient? httpClient, string? serviceId)
    {
        var which = serviceId is null ? "The Qwen chat completion service" : $"The Qwen chat completion service '{serviceId}'";
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? Environment.GetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable) : options.ApiKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException(
                $"{which} has no DashScope API key: pass apiKey to AddQwenChatCompletion (or set QwenClientOptions.ApiKey), " +
                $"or set the {QwenClientOptions.ApiKeyEnvironmentVariable} environment variable. Keys are bound to the region of the endpoint.");
        }

        try
        {
            return new QwenChatClient(options, httpClient);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{which} is misconfigured: {ex.Message} Fix the endpoint/apiKey passed to AddQwenChatCompletion.", ex);
        }
    }
}
