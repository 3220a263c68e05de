using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Qwen.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Qwen <see cref="IChatClient"/> over DashScope's Responses API (<see cref="QwenResponsesChatClient"/>) in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Works like <see cref="QwenChatClientServiceCollectionExtensions"/>, with its own options and its own named <see cref="HttpClient"/>
/// (<see cref="GetHttpClientName"/>, with the same settings as the chat client's: no overall timeout, no redirects), so a chat-completions
/// client and a Responses client registered side by side keep their settings apart. Both register an <see cref="IChatClient"/>: give one
/// of them a key (for example <c>AddKeyedQwenResponsesChatClient("responses", ...)</c>) to keep both. Bind it from its own section,
/// conventionally <c>"Qwen:Responses"</c> (<see cref="DefaultSectionName"/>); like <c>"Qwen:Embeddings"</c> it does not inherit from
/// <c>"Qwen"</c>: set <c>ApiKey</c> there or in <c>DASHSCOPE_API_KEY</c>. Semantic Kernel's <c>AddQwenResponsesChatCompletion</c>
/// registers through the same plumbing.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "ApiDesign",
    "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "The same overload set as AddQwenChatClient (and MEAI's Add*ChatClient): a configure callback or a section, each with an optional lifetime; the parameter types differ, so no call is ambiguous.")]
public static class QwenResponsesChatClientServiceCollectionExtensions
{
    /// <summary>The conventional configuration section name, <c>"Qwen:Responses"</c>.</summary>
    public const string DefaultSectionName = "Qwen:Responses";

    /// <summary>The name of the <see cref="HttpClient"/> (and of the options) of the registration without a key.</summary>
    public const string DefaultHttpClientName = "QwenResponses";

    /// <summary>Gets the name of the <see cref="IHttpClientFactory"/> client (and of the <see cref="QwenClientOptions"/>) used by a registration.</summary>
    /// <param name="serviceKey">The service key of the registration, or <see langword="null"/> for the one without a key.</param>
    /// <returns><c>"QwenResponses"</c>, or <c>"QwenResponses:{serviceKey}"</c> for a keyed registration.</returns>
    public static string GetHttpClientName(object? serviceKey) => serviceKey is null ? DefaultHttpClientName : $"{DefaultHttpClientName}:{serviceKey}";

    /// <summary>Registers a Qwen Responses <see cref="IChatClient"/> configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the key (else <c>DASHSCOPE_API_KEY</c>), endpoint and default model.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>MEAI's <see cref="ChatClientBuilder"/>, to add middleware such as <c>.UseFunctionInvocation().UseOpenTelemetry()</c>.</returns>
    public static ChatClientBuilder AddQwenResponsesChatClient(this IServiceCollection services, Action<QwenClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, b => b.Configure(configure), "the configure callback of AddQwenResponsesChatClient", lifetime);
    }

    /// <summary>Registers a Qwen Responses <see cref="IChatClient"/> bound to a configuration section such as <c>"Qwen:Responses": { "ApiKey", "Endpoint", "DefaultModelId" }</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section to bind, for example <c>configuration.GetSection("Qwen:Responses")</c>.</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>MEAI's <see cref="ChatClientBuilder"/>, to add middleware.</returns>
    public static ChatClientBuilder AddQwenResponsesChatClient(this IServiceCollection services, IConfiguration section, Action<QwenClientOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, null, b => QwenChatClientServiceCollectionExtensions.Bind(b, section, configure), QwenChatClientServiceCollectionExtensions.Describe(section, "AddQwenResponsesChatClient"), lifetime);
    }

    /// <summary>Registers a keyed Qwen Responses <see cref="IChatClient"/> configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; resolve with <c>GetRequiredKeyedService&lt;IChatClient&gt;(serviceKey)</c>.</param>
    /// <param name="configure">Sets the key (else <c>DASHSCOPE_API_KEY</c>), endpoint and default model.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>MEAI's <see cref="ChatClientBuilder"/>, to add middleware.</returns>
    public static ChatClientBuilder AddKeyedQwenResponsesChatClient(this IServiceCollection services, object serviceKey, Action<QwenClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, serviceKey, b => b.Configure(configure), "the configure callback of AddKeyedQwenResponsesChatClient", lifetime);
    }

    /// <summary>Registers a keyed Qwen Responses <see cref="IChatClient"/> bound to a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; resolve with <c>GetRequiredKeyedService&lt;IChatClient&gt;(serviceKey)</c>.</param>
    /// <param name="section">The section to bind, for example <c>configuration.GetSection("Qwen:Responses")</c>.</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>MEAI's <see cref="ChatClientBuilder"/>, to add middleware.</returns>
    public static ChatClientBuilder AddKeyedQwenResponsesChatClient(this IServiceCollection services, object serviceKey, IConfiguration section, Action<QwenClientOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, serviceKey, b => QwenChatClientServiceCollectionExtensions.Bind(b, section, configure), QwenChatClientServiceCollectionExtensions.Describe(section, "AddKeyedQwenResponsesChatClient"), lifetime);
    }

    /// <summary>The registration behind every overload.</summary>
    private static ChatClientBuilder AddCore(
        IServiceCollection services, object? serviceKey, Action<OptionsBuilder<QwenClientOptions>> configureOptions, string source, ServiceLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(services);
        var name = AddHttpClient(services, serviceKey);
        configureOptions(services.AddOptions<QwenClientOptions>(name));
        var which = serviceKey is null ? "The Qwen Responses IChatClient" : $"The Qwen Responses IChatClient with key '{serviceKey}'";

        IChatClient Create(IServiceProvider sp) =>
            CreateClient(sp, sp.GetRequiredService<IOptionsMonitor<QwenClientOptions>>().Get(name), httpClient: null, serviceKey, which, $"set ApiKey in {source}", source);

        return serviceKey is null
            ? services.AddChatClient(Create, lifetime)
            : services.AddKeyedChatClient(serviceKey, Create, lifetime);
    }

    /// <summary>Registers the named <see cref="HttpClient"/> of a registration (also used by the Semantic Kernel package).</summary>
    /// <returns>Its name, <see cref="GetHttpClientName"/>.</returns>
    internal static string AddHttpClient(IServiceCollection services, object? serviceKey) =>
        QwenChatClientServiceCollectionExtensions.AddNamedQwenHttpClient(services, GetHttpClientName(serviceKey));

    /// <summary>Builds the client of a registration (also used by the Semantic Kernel package), with the chat client's plumbing (key check, logging, messages).</summary>
    internal static QwenResponsesChatClient CreateClient(
        IServiceProvider services, QwenClientOptions options, HttpClient? httpClient, object? serviceKey, string which, string setKey, string source) =>
        QwenChatClientServiceCollectionExtensions.Create(
            services,
            options,
            httpClient ?? services.GetRequiredService<IHttpClientFactory>().CreateClient(GetHttpClientName(serviceKey)),
            which,
            setKey,
            source,
            static (o, h) => new QwenResponsesChatClient(o, h));
}
