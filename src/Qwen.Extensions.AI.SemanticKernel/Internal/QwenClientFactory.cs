using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>Builds the registered pipeline: <see cref="QwenChatClient"/> → reasoning into metadata → SK's kernel function invocation.</summary>
/// <remarks>The client itself comes from the DI package's plumbing (key check, named <see cref="HttpClient"/>, the "misconfigured" message).</remarks>
internal static class QwenClientFactory
{
    public static IChatClient CreatePipeline(IServiceProvider services, QwenClientOptions options, HttpClient? httpClient, string? serviceId)
    {
        var which = serviceId is null ? "The Qwen chat completion service" : $"The Qwen chat completion service '{serviceId}'";
        var qwen = QwenChatClientServiceCollectionExtensions.CreateClient(
            services, options, httpClient, serviceId, which, "pass apiKey to AddQwenChatCompletion or set QwenClientOptions.ApiKey", "the AddQwenChatCompletion call");
        return qwen.AsBuilder()
            .Use(inner => new ReasoningMetadataChatClient(inner))
            .UseKernelFunctionInvocation(services.GetService<ILoggerFactory>())
            .Build(services);
    }
}
