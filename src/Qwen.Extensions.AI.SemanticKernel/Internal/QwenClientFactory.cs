using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>Builds the registered pipeline: <see cref="QwenChatClient"/> (or <see cref="QwenResponsesChatClient"/>) → reasoning into metadata → SK's kernel function invocation.</summary>
/// <remarks>The client itself comes from the DI package's plumbing (key check, named <see cref="HttpClient"/>, the "misconfigured" message).</remarks>
internal static class QwenClientFactory
{
    /// <param name="services">The container.</param>
    /// <param name="options">The service's options.</param>
    /// <param name="httpClient">An explicit client, or <see langword="null"/> for the registration's named one.</param>
    /// <param name="serviceId">The service id, or <see langword="null"/>.</param>
    /// <param name="responses">Whether the service sends through <see cref="QwenResponsesChatClient"/> (DashScope's Responses API) rather than <see cref="QwenChatClient"/>.</param>
    public static IChatClient CreatePipeline(IServiceProvider services, QwenClientOptions options, HttpClient? httpClient, string? serviceId, bool responses = false)
    {
        var method = responses ? "AddQwenResponsesChatCompletion" : "AddQwenChatCompletion";
        var service = responses ? "The Qwen Responses chat completion service" : "The Qwen chat completion service";
        var which = serviceId is null ? service : $"{service} '{serviceId}'";
        var setKey = $"pass apiKey to {method} or set QwenClientOptions.ApiKey";
        var source = $"the {method} call";
        IChatClient qwen = responses
            ? QwenResponsesChatClientServiceCollectionExtensions.CreateClient(services, options, httpClient, serviceId, which, setKey, source)
            : QwenChatClientServiceCollectionExtensions.CreateClient(services, options, httpClient, serviceId, which, setKey, source);
        var builder = qwen.AsBuilder()
            .Use(inner => new ReasoningMetadataChatClient(inner))
            .UseKernelFunctionInvocation(services.GetService<ILoggerFactory>());

        // Innermost: SK's tool loop works on the history SK holds, so the Responses client's ConversationId stays below it.
        return (responses ? builder.Use(inner => new ClientSideHistoryChatClient(inner)) : builder).Build(services);
    }
}
