using Microsoft.Extensions.DependencyInjection;
using Qwen.Extensions.AI;
using Qwen.Extensions.AI.SemanticKernel;
using Qwen.Extensions.AI.SemanticKernel.Internal;

namespace Microsoft.SemanticKernel;

/// <summary>Registers Qwen as a Semantic Kernel chat completion service in an <see cref="IServiceCollection"/>.</summary>
public static class QwenServiceCollectionExtensions
{
    /// <summary>
    /// Registers Qwen as Semantic Kernel's <see cref="IChatCompletionService"/> (keyed by <paramref name="serviceId"/> when given), over
    /// an <see cref="IChatClient"/> pipeline of its own that is not registered (an app's own <see cref="IChatClient"/> stays as it is), with
    /// Semantic Kernel's function invocation so <c>FunctionChoiceBehavior.Auto()</c> calls kernel functions
    /// and auto-function-invocation filters run.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The model, for example <c>qwen-plus</c> or <c>qwen3-max</c>.</param>
    /// <param name="apiKey">The DashScope API key; <see langword="null"/> reads the <c>DASHSCOPE_API_KEY</c> environment variable.</param>
    /// <param name="endpoint">The compatible-mode base URL; <see langword="null"/> for <see cref="QwenEndpoints.Singapore"/>. Keys are bound to a region.</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <see cref="IHttpClientFactory"/> client named <c>QwenChatClientServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same service collection.</returns>
    /// <remarks>A missing key or a bad endpoint surfaces as an <see cref="InvalidOperationException"/> saying what to set when the service is first resolved.</remarks>
    public static IServiceCollection AddQwenChatCompletion(
        this IServiceCollection services, string modelId, string? apiKey = null, Uri? endpoint = null, string? serviceId = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddQwenChatCompletion(
            ModelArguments.ToConfigure(modelId, apiKey, endpoint, "qwen-plus"),
            serviceId,
            httpClient);
    }

    /// <summary>
    /// Registers Qwen as Semantic Kernel's <see cref="IChatCompletionService"/> (no <see cref="IChatClient"/>), configured by <paramref name="configure"/>;
    /// see <see cref="AddQwenChatCompletion(IServiceCollection, string, string?, Uri?, string?, HttpClient?)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the key, endpoint and default model (<see cref="QwenClientOptions.DefaultModelId"/> is required).</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <see cref="IHttpClientFactory"/> client named <c>QwenChatClientServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddQwenChatCompletion(
        this IServiceCollection services, Action<QwenClientOptions> configure, string? serviceId = null, HttpClient? httpClient = null) =>
        Add(services, configure, serviceId, httpClient, responses: false);

    /// <summary>
    /// Registers Qwen over DashScope's Responses API (<see cref="QwenResponsesChatClient"/>) as Semantic Kernel's <see cref="IChatCompletionService"/>
    /// (keyed by <paramref name="serviceId"/> when given), like <see cref="AddQwenChatCompletion(IServiceCollection, string, string?, Uri?, string?, HttpClient?)"/>.
    /// A chat history is sent whole on each call.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The model, for example <c>qwen3.5-plus</c> (the Responses API serves the Qwen 3.5+ families, qwen-plus/flash and the coder models).</param>
    /// <param name="apiKey">The DashScope API key; <see langword="null"/> reads the <c>DASHSCOPE_API_KEY</c> environment variable.</param>
    /// <param name="endpoint">The compatible-mode base URL; <see langword="null"/> for <see cref="QwenEndpoints.Singapore"/>. Keys are bound to a region.</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <see cref="IHttpClientFactory"/> client named <c>QwenResponsesChatClientServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same service collection.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The same shape as AddQwenChatCompletion (model id or configure callback, then optional settings); the first parameter's type tells them apart.")]
    public static IServiceCollection AddQwenResponsesChatCompletion(
        this IServiceCollection services, string modelId, string? apiKey = null, Uri? endpoint = null, string? serviceId = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Add(services, ModelArguments.ToConfigure(modelId, apiKey, endpoint, "qwen3.5-plus"), serviceId, httpClient, responses: true);
    }

    /// <summary>
    /// Registers Qwen over DashScope's Responses API as Semantic Kernel's <see cref="IChatCompletionService"/>, configured by <paramref name="configure"/>;
    /// see <see cref="AddQwenResponsesChatCompletion(IServiceCollection, string, string?, Uri?, string?, HttpClient?)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the key, endpoint and default model (<see cref="QwenClientOptions.DefaultModelId"/> is required).</param>
    /// <param name="serviceId">The service id (a keyed registration), or <see langword="null"/> for the default service.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send with; <see langword="null"/> uses the <see cref="IHttpClientFactory"/> client named <c>QwenResponsesChatClientServiceCollectionExtensions.GetHttpClientName(serviceId)</c>.</param>
    /// <returns>The same service collection.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The same shape as AddQwenChatCompletion (model id or configure callback, then optional settings); the first parameter's type tells them apart.")]
    public static IServiceCollection AddQwenResponsesChatCompletion(
        this IServiceCollection services, Action<QwenClientOptions> configure, string? serviceId = null, HttpClient? httpClient = null) =>
        Add(services, configure, serviceId, httpClient, responses: true);

    private static IServiceCollection Add(IServiceCollection services, Action<QwenClientOptions> configure, string? serviceId, HttpClient? httpClient, bool responses)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        // The DI package's plumbing: the named HttpClient GetHttpClientName(serviceId), so handlers added to it apply here too.
        _ = responses
            ? QwenResponsesChatClientServiceCollectionExtensions.AddHttpClient(services, serviceId)
            : QwenChatClientServiceCollectionExtensions.AddQwenHttpClient(services, serviceId);
        // Like SK's own connectors, only the IChatCompletionService is registered (keyed by serviceId; unkeyed without one):
        // an unkeyed IChatClient here would replace the app's own (AddQwenChatClient, another provider). The pipeline lives in
        // the service; register an IChatClient with AddQwenChatClient when the app wants one.
        services.AddKeyedSingleton<IChatCompletionService>(serviceId, (sp, _) =>
        {
            var options = new QwenClientOptions();
            configure(options);
            if (string.IsNullOrWhiteSpace(options.DefaultModelId))
            {
                throw new InvalidOperationException(
                    $"The Qwen {(responses ? "Responses " : string.Empty)}chat completion service{(serviceId is null ? string.Empty : $" '{serviceId}'")} has no model: " +
                    $"set QwenClientOptions.DefaultModelId (for example '{(responses ? "qwen3.5-plus" : "qwen-plus")}').");
            }

            return new QwenChatCompletionService(QwenClientFactory.CreatePipeline(sp, options, httpClient, serviceId, responses), sp);
        });
        return services;
    }
}
