using Qwen.Extensions.AI;

namespace Microsoft.SemanticKernel;

/// <summary>Adds Qwen to a Semantic Kernel <see cref="IKernelBuilder"/>.</summary>
public static class QwenKernelBuilderExtensions
{
    /// <summary>
    /// Adds Qwen as the kernel's chat completion service (an <see cref="IChatCompletionService"/> only, as SK's own connectors do), with
    /// Semantic Kernel's function invocation so <c>FunctionChoiceBehavior.Auto()</c> calls kernel functions and filters run.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model, for example <c>qwen-plus</c> or <c>qwen3-max</c>.</param>
    /// <param name="apiKey">The DashScope API key; <see langword="null"/> reads the <c>DASHSCOPE_API_KEY</c> environment variable.</param>
    /// <param name="endpoint">The compatible-mode base URL; <see langword="null"/> for <see cref="QwenEndpoints.Singapore"/>. Keys are bound to a region.</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <c>IHttpClientFactory</c> client named <c>QwenChatClientServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same builder.</returns>
    public static IKernelBuilder AddQwenChatCompletion(
        this IKernelBuilder builder, string modelId, string? apiKey = null, Uri? endpoint = null, string? serviceId = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddQwenChatCompletion(modelId, apiKey, endpoint, serviceId, httpClient);
        return builder;
    }

    /// <summary>Adds Qwen as the kernel's chat completion service, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the key, endpoint and default model (<see cref="QwenClientOptions.DefaultModelId"/> is required).</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <c>IHttpClientFactory</c> client named <c>QwenChatClientServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same builder.</returns>
    public static IKernelBuilder AddQwenChatCompletion(
        this IKernelBuilder builder, Action<QwenClientOptions> configure, string? serviceId = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddQwenChatCompletion(configure, serviceId, httpClient);
        return builder;
    }
}
