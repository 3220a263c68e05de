using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Qwen.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Qwen <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (<see cref="QwenEmbeddingGenerator"/>) in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Works like <see cref="QwenChatClientServiceCollectionExtensions"/>, with its own options and its own named <see cref="HttpClient"/>
/// (<see cref="GetHttpClientName"/>), so a chat client and an embedding generator registered side by side keep their settings apart.
/// Bind it from its own section, conventionally <c>"Qwen:Embeddings"</c> (<see cref="DefaultSectionName"/>), since <c>Qwen:DefaultModelId</c>
/// is the chat model. The section does not inherit from <c>"Qwen"</c>: set <c>ApiKey</c> there or in <c>DASHSCOPE_API_KEY</c>. With no
/// <c>DefaultModelId</c>, the generator uses <c>text-embedding-v4</c>. This one method serves Semantic Kernel too, whose
/// <c>IKernelBuilder.AddQwenEmbeddingGenerator</c> registers through it.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "ApiDesign",
    "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "The same overload set as AddQwenChatClient (and MEAI's Add*ChatClient): a configure callback or a section, each with an optional lifetime; the parameter types differ, so no call is ambiguous.")]
public static class QwenEmbeddingGeneratorServiceCollectionExtensions
{
    /// <summary>The conventional configuration section name, <c>"Qwen:Embeddings"</c>.</summary>
    public const string DefaultSectionName = "Qwen:Embeddings";

    /// <summary>The name of the <see cref="HttpClient"/> (and of the options) of the registration without a key.</summary>
    public const string DefaultHttpClientName = "QwenEmbeddings";

    /// <summary>Gets the name of the <see cref="IHttpClientFactory"/> client (and of the <see cref="QwenClientOptions"/>) used by a registration.</summary>
    /// <param name="serviceKey">The service key of the registration, or <see langword="null"/> for the one without a key.</param>
    /// <returns><c>"QwenEmbeddings"</c>, or <c>"QwenEmbeddings:{serviceKey}"</c> for a keyed registration.</returns>
    public static string GetHttpClientName(object? serviceKey) => serviceKey is null ? DefaultHttpClientName : $"{DefaultHttpClientName}:{serviceKey}";

    /// <summary>Registers a Qwen embedding generator configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the key (else <c>DASHSCOPE_API_KEY</c>), endpoint and default model (else <c>text-embedding-v4</c>).</param>
    /// <param name="lifetime">The lifetime of the generator; singleton by default.</param>
    /// <returns>MEAI's <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/>, to add middleware such as <c>.UseDistributedCache().UseOpenTelemetry()</c>.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddQwenEmbeddingGenerator(this IServiceCollection services, Action<QwenClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, b => b.Configure(configure), "the configure callback of AddQwenEmbeddingGenerator", null, lifetime);
    }

    /// <summary>Registers a Qwen embedding generator bound to a configuration section such as <c>"Qwen:Embeddings": { "ApiKey", "Endpoint", "DefaultModelId" }</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section to bind, for example <c>configuration.GetSection("Qwen:Embeddings")</c>.</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <param name="lifetime">The lifetime of the generator; singleton by default.</param>
    /// <returns>MEAI's <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/>, to add middleware.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddQwenEmbeddingGenerator(this IServiceCollection services, IConfiguration section, Action<QwenClientOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, null, b => QwenChatClientServiceCollectionExtensions.Bind(b, section, configure), QwenChatClientServiceCollectionExtensions.Describe(section, "AddQwenEmbeddingGenerator"), null, lifetime);
    }

    /// <summary>Registers a keyed Qwen embedding generator configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; resolve with <c>GetRequiredKeyedService&lt;IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;&gt;(serviceKey)</c>.</param>
    /// <param name="configure">Sets the key (else <c>DASHSCOPE_API_KEY</c>), endpoint and default model (else <c>text-embedding-v4</c>).</param>
    /// <param name="lifetime">The lifetime of the generator; singleton by default.</param>
    /// <returns>MEAI's <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/>, to add middleware.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddKeyedQwenEmbeddingGenerator(this IServiceCollection services, object serviceKey, Action<QwenClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, serviceKey, b => b.Configure(configure), "the configure callback of AddKeyedQwenEmbeddingGenerator", null, lifetime);
    }

    /// <summary>Registers a keyed Qwen embedding generator bound to a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; resolve with <c>GetRequiredKeyedService&lt;IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;&gt;(serviceKey)</c>.</param>
    /// <param name="section">The section to bind, for example <c>configuration.GetSection("Qwen:Embeddings")</c>.</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <param name="lifetime">The lifetime of the generator; singleton by default.</param>
    /// <returns>MEAI's <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/>, to add middleware.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddKeyedQwenEmbeddingGenerator(this IServiceCollection services, object serviceKey, IConfiguration section, Action<QwenClientOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, serviceKey, b => QwenChatClientServiceCollectionExtensions.Bind(b, section, configure), QwenChatClientServiceCollectionExtensions.Describe(section, "AddKeyedQwenEmbeddingGenerator"), null, lifetime);
    }

    /// <summary>The registration behind every overload (also used by the Semantic Kernel package, which may pass its own <see cref="HttpClient"/>).</summary>
    internal static EmbeddingGeneratorBuilder<string, Embedding<float>> AddCore(
        IServiceCollection services, object? serviceKey, Action<OptionsBuilder<QwenClientOptions>> configureOptions, string source, HttpClient? httpClient, ServiceLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(services);
        var which = serviceKey is null ? "The Qwen embedding generator" : $"The Qwen embedding generator with key '{serviceKey}'";
        var create = QwenRegistration.Register<IEmbeddingGenerator<string, Embedding<float>>>(
            services, GetHttpClientName(serviceKey), configureOptions, which, source, httpClient, static (o, h) => new QwenEmbeddingGenerator(o, h));

        return serviceKey is null
            ? services.AddEmbeddingGenerator(create, lifetime)
            : services.AddKeyedEmbeddingGenerator(serviceKey, create, lifetime);
    }
}
