using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Qwen.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Qwen <see cref="IHostedFileClient"/> (<see cref="QwenFileClient"/>) in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Works like <see cref="QwenEmbeddingGeneratorServiceCollectionExtensions"/>: its own options and its own named <see cref="HttpClient"/>
/// (<see cref="GetHttpClientName"/>). Bind it from a section, conventionally <c>"Qwen:Files"</c> (<see cref="DefaultSectionName"/>), which
/// does not inherit from <c>"Qwen"</c>; since the file client ignores <c>DefaultModelId</c>, binding the chat section
/// (<c>configuration.GetSection("Qwen")</c>) works too and keeps one key and endpoint for both. File ids belong to the account and
/// region of the key, so use the endpoint of the chat client that will read them. <see cref="IHostedFileClient"/> is experimental in
/// Microsoft.Extensions.AI (<c>MEAI001</c>), and so are these methods.
/// </remarks>
[Experimental("MEAI001")]
[SuppressMessage(
    "ApiDesign",
    "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "The same overload set as AddQwenEmbeddingGenerator: a configure callback or a section, each with an optional lifetime; the parameter types differ, so no call is ambiguous.")]
public static class QwenFileClientServiceCollectionExtensions
{
    /// <summary>The conventional configuration section name, <c>"Qwen:Files"</c>.</summary>
    public const string DefaultSectionName = "Qwen:Files";

    /// <summary>The name of the <see cref="HttpClient"/> (and of the options) of the registration without a key.</summary>
    public const string DefaultHttpClientName = "QwenFiles";

    /// <summary>Gets the name of the <see cref="IHttpClientFactory"/> client (and of the <see cref="QwenClientOptions"/>) used by a registration.</summary>
    /// <param name="serviceKey">The service key of the registration, or <see langword="null"/> for the one without a key.</param>
    /// <returns><c>"QwenFiles"</c>, or <c>"QwenFiles:{serviceKey}"</c> for a keyed registration.</returns>
    public static string GetHttpClientName(object? serviceKey) => serviceKey is null ? DefaultHttpClientName : $"{DefaultHttpClientName}:{serviceKey}";

    /// <summary>Registers a Qwen file client configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the key (else <c>DASHSCOPE_API_KEY</c>) and endpoint.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddQwenFileClient(this IServiceCollection services, Action<QwenClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, b => b.Configure(configure), "the configure callback of AddQwenFileClient", lifetime);
    }

    /// <summary>Registers a Qwen file client bound to a configuration section such as <c>"Qwen:Files": { "ApiKey", "Endpoint" }</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section to bind, for example <c>configuration.GetSection("Qwen:Files")</c> or the chat client's <c>"Qwen"</c>.</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddQwenFileClient(this IServiceCollection services, IConfiguration section, Action<QwenClientOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, null, b => QwenChatClientServiceCollectionExtensions.Bind(b, section, configure), QwenChatClientServiceCollectionExtensions.Describe(section, "AddQwenFileClient"), lifetime);
    }

    /// <summary>Registers a keyed Qwen file client configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; resolve with <c>GetRequiredKeyedService&lt;IHostedFileClient&gt;(serviceKey)</c>.</param>
    /// <param name="configure">Sets the key (else <c>DASHSCOPE_API_KEY</c>) and endpoint.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddKeyedQwenFileClient(this IServiceCollection services, object serviceKey, Action<QwenClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, serviceKey, b => b.Configure(configure), "the configure callback of AddKeyedQwenFileClient", lifetime);
    }

    /// <summary>Registers a keyed Qwen file client bound to a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; resolve with <c>GetRequiredKeyedService&lt;IHostedFileClient&gt;(serviceKey)</c>.</param>
    /// <param name="section">The section to bind, for example <c>configuration.GetSection("Qwen:Files")</c>.</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddKeyedQwenFileClient(this IServiceCollection services, object serviceKey, IConfiguration section, Action<QwenClientOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, serviceKey, b => QwenChatClientServiceCollectionExtensions.Bind(b, section, configure), QwenChatClientServiceCollectionExtensions.Describe(section, "AddKeyedQwenFileClient"), lifetime);
    }

    private static IServiceCollection AddCore(
        IServiceCollection services, object? serviceKey, Action<OptionsBuilder<QwenClientOptions>> configureOptions, string source, ServiceLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(services);
        var which = serviceKey is null ? "The Qwen file client" : $"The Qwen file client with key '{serviceKey}'";
        var create = QwenRegistration.Register<IHostedFileClient>(
            services, GetHttpClientName(serviceKey), configureOptions, which, source, httpClient: null, static (o, h) => new QwenFileClient(o, h));
        services.Add(serviceKey is null
            ? new ServiceDescriptor(typeof(IHostedFileClient), create, lifetime)
            : new ServiceDescriptor(typeof(IHostedFileClient), serviceKey, (sp, _) => create(sp), lifetime));
        return services;
    }
}
