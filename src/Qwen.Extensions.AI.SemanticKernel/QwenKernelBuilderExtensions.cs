using Microsoft.Extensions.DependencyInjection;
using Qwen.Extensions.AI;
using Qwen.Extensions.AI.SemanticKernel.Internal;

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

    /// <summary>
    /// Adds Qwen over DashScope's Responses API (<see cref="QwenResponsesChatClient"/>) as the kernel's chat completion service, like
    /// <see cref="AddQwenChatCompletion(IKernelBuilder, string, string?, Uri?, string?, HttpClient?)"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model, for example <c>qwen3.5-plus</c>.</param>
    /// <param name="apiKey">The DashScope API key; <see langword="null"/> reads the <c>DASHSCOPE_API_KEY</c> environment variable.</param>
    /// <param name="endpoint">The compatible-mode base URL; <see langword="null"/> for <see cref="QwenEndpoints.Singapore"/>. Keys are bound to a region.</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <c>IHttpClientFactory</c> client named <c>QwenResponsesChatClientServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same builder.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The same shape as AddQwenChatCompletion (model id or configure callback, then optional settings); the first parameter's type tells them apart.")]
    public static IKernelBuilder AddQwenResponsesChatCompletion(
        this IKernelBuilder builder, string modelId, string? apiKey = null, Uri? endpoint = null, string? serviceId = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddQwenResponsesChatCompletion(modelId, apiKey, endpoint, serviceId, httpClient);
        return builder;
    }

    /// <summary>Adds Qwen over DashScope's Responses API as the kernel's chat completion service, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the key, endpoint and default model (<see cref="QwenClientOptions.DefaultModelId"/> is required).</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <c>IHttpClientFactory</c> client named <c>QwenResponsesChatClientServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same builder.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The same shape as AddQwenChatCompletion (model id or configure callback, then optional settings); the first parameter's type tells them apart.")]
    public static IKernelBuilder AddQwenResponsesChatCompletion(
        this IKernelBuilder builder, Action<QwenClientOptions> configure, string? serviceId = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddQwenResponsesChatCompletion(configure, serviceId, httpClient);
        return builder;
    }

    /// <summary>
    /// Adds a Qwen embedding generator (<see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of <see cref="string"/> to
    /// <see cref="Embedding{T}"/> of <see cref="float"/>, keyed by <paramref name="serviceId"/> when given), for SK vector stores and
    /// text search. It registers through the DI package's <c>AddQwenEmbeddingGenerator</c>, which also serves an <see cref="IServiceCollection"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model, for example <c>text-embedding-v4</c>.</param>
    /// <param name="apiKey">The DashScope API key; <see langword="null"/> reads the <c>DASHSCOPE_API_KEY</c> environment variable.</param>
    /// <param name="endpoint">The compatible-mode base URL; <see langword="null"/> for <see cref="QwenEndpoints.Singapore"/>. Keys are bound to a region.</param>
    /// <param name="dimensions">The vector size used when a request does not set <see cref="EmbeddingGenerationOptions.Dimensions"/> (for example 1024), or <see langword="null"/> for the model's default.</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <c>IHttpClientFactory</c> client named <c>QwenEmbeddingGeneratorServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same builder.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The same shape as AddQwenChatCompletion (model id or configure callback, then optional settings); the first parameter's type tells them apart.")]
    public static IKernelBuilder AddQwenEmbeddingGenerator(
        this IKernelBuilder builder, string modelId, string? apiKey = null, Uri? endpoint = null, int? dimensions = null, string? serviceId = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddQwenEmbeddingGenerator(
            ModelArguments.ToConfigure(modelId, apiKey, endpoint, "text-embedding-v4"),
            dimensions,
            serviceId,
            httpClient);
    }

    /// <summary>Adds a Qwen embedding generator configured by <paramref name="configure"/>; see <see cref="AddQwenEmbeddingGenerator(IKernelBuilder, string, string?, Uri?, int?, string?, HttpClient?)"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the key, endpoint and default model (<c>text-embedding-v4</c> when not set).</param>
    /// <param name="dimensions">The vector size used when a request does not set one, or <see langword="null"/> for the model's default.</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <c>IHttpClientFactory</c> client named <c>QwenEmbeddingGeneratorServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same builder.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The same shape as AddQwenChatCompletion (model id or configure callback, then optional settings); the first parameter's type tells them apart.")]
    public static IKernelBuilder AddQwenEmbeddingGenerator(
        this IKernelBuilder builder, Action<QwenClientOptions> configure, int? dimensions = null, string? serviceId = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        if (dimensions is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "dimensions must be ≥ 1 (for example 1024), or null for the model's default.");
        }

        var source = serviceId is null ? "the AddQwenEmbeddingGenerator call" : $"the AddQwenEmbeddingGenerator call for '{serviceId}'";
        var generator = QwenEmbeddingGeneratorServiceCollectionExtensions.AddCore(builder.Services, serviceId, b => b.Configure(configure), source, httpClient, ServiceLifetime.Singleton);
        if (dimensions is { } size)
        {
            generator.ConfigureOptions(o => o.Dimensions ??= size);
        }

        return builder;
    }
}
