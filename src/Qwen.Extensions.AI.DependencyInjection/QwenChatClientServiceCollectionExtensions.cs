using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qwen.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Qwen <see cref="IChatClient"/> in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Each registration gets its own options (named after the service key) and its own named <see cref="HttpClient"/> from
/// <see cref="IHttpClientFactory"/>, called <see cref="GetHttpClientName"/>; add handlers to it with
/// <c>services.AddHttpClient(QwenChatClientServiceCollectionExtensions.GetHttpClientName(key)).AddHttpMessageHandler(...)</c>.
/// The client is built when first resolved; a missing key or bad endpoint then throws an <see cref="InvalidOperationException"/>
/// that names the setting.
/// </remarks>
public static class QwenChatClientServiceCollectionExtensions
{
    /// <summary>The conventional configuration section name, <c>"Qwen"</c>.</summary>
    public const string DefaultSectionName = "Qwen";

    /// <summary>The name of the <see cref="HttpClient"/> (and of the options) of the registration without a key.</summary>
    public const string DefaultHttpClientName = "Qwen";

    /// <summary>Gets the name of the <see cref="IHttpClientFactory"/> client (and of the <see cref="QwenClientOptions"/>) used by a registration.</summary>
    /// <param name="serviceKey">The service key of the registration, or <see langword="null"/> for the one without a key.</param>
    /// <returns><c>"Qwen"</c>, or <c>"Qwen:{serviceKey}"</c> for a keyed registration.</returns>
    public static string GetHttpClientName(object? serviceKey) => serviceKey is null ? DefaultHttpClientName : $"{DefaultHttpClientName}:{serviceKey}";

    /// <summary>Registers a Qwen <see cref="IChatClient"/> configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the key (else <c>DASHSCOPE_API_KEY</c>), endpoint and default model.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>MEAI's <see cref="ChatClientBuilder"/>, to add middleware such as <c>.UseFunctionInvocation().UseOpenTelemetry()</c>.</returns>
    public static ChatClientBuilder AddQwenChatClient(this IServiceCollection services, Action<QwenClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, b => b.Configure(configure), "the configure callback of AddQwenChatClient", lifetime);
    }

    /// <summary>Registers a Qwen <see cref="IChatClient"/> bound to a configuration section such as <c>"Qwen": { "ApiKey", "Endpoint", "DefaultModelId" }</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section to bind, for example <c>configuration.GetSection("Qwen")</c>.</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>MEAI's <see cref="ChatClientBuilder"/>, to add middleware.</returns>
    public static ChatClientBuilder AddQwenChatClient(this IServiceCollection services, IConfiguration section, Action<QwenClientOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, null, b => Bind(b, section, configure), Describe(section), lifetime, section);
    }

    /// <summary>Registers a keyed Qwen <see cref="IChatClient"/> configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; resolve with <c>GetRequiredKeyedService&lt;IChatClient&gt;(serviceKey)</c>.</param>
    /// <param name="configure">Sets the key (else <c>DASHSCOPE_API_KEY</c>), endpoint and default model.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>MEAI's <see cref="ChatClientBuilder"/>, to add middleware.</returns>
    public static ChatClientBuilder AddKeyedQwenChatClient(this IServiceCollection services, object serviceKey, Action<QwenClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, serviceKey, b => b.Configure(configure), "the configure callback of AddKeyedQwenChatClient", lifetime);
    }

    /// <summary>Registers a keyed Qwen <see cref="IChatClient"/> bound to a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; resolve with <c>GetRequiredKeyedService&lt;IChatClient&gt;(serviceKey)</c>.</param>
    /// <param name="section">The section to bind, for example <c>configuration.GetSection("Qwen:Fast")</c>.</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <param name="lifetime">The lifetime of the client; singleton by default.</param>
    /// <returns>MEAI's <see cref="ChatClientBuilder"/>, to add middleware.</returns>
    public static ChatClientBuilder AddKeyedQwenChatClient(this IServiceCollection services, object serviceKey, IConfiguration section, Action<QwenClientOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, serviceKey, b => Bind(b, section, configure), Describe(section), lifetime, section);
    }

    private static ChatClientBuilder AddCore(
        IServiceCollection services, object? serviceKey, Action<OptionsBuilder<QwenClientOptions>> configureOptions, string source, ServiceLifetime lifetime, IConfiguration? section = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var name = AddQwenHttpClient(services, serviceKey);
        configureOptions(services.AddOptions<QwenClientOptions>(name));
        var which = serviceKey is null ? "The Qwen IChatClient" : $"The Qwen IChatClient with key '{serviceKey}'";

        IChatClient Create(IServiceProvider sp) =>
            CreateClient(sp, sp.GetRequiredService<IOptionsMonitor<QwenClientOptions>>().Get(name), httpClient: null, serviceKey, which, $"set ApiKey in {source}{SectionHint(section)}", source);

        return serviceKey is null
            ? services.AddChatClient(Create, lifetime)
            : services.AddKeyedChatClient(serviceKey, Create, lifetime);
    }

    /// <summary>Registers the named <see cref="HttpClient"/> of a registration (also used by the Semantic Kernel package).</summary>
    /// <returns>Its name, <see cref="GetHttpClientName"/>.</returns>
    internal static string AddQwenHttpClient(IServiceCollection services, object? serviceKey) => AddNamedQwenHttpClient(services, GetHttpClientName(serviceKey));

    /// <summary>Registers the named <see cref="HttpClient"/> every Qwen registration sends with (chat, embeddings, files, Responses): no overall timeout, no redirects.</summary>
    internal static string AddNamedQwenHttpClient(IServiceCollection services, string name)
    {
        // Responses stream for as long as the model thinks: no overall timeout (cancel with the token instead). Users' own
        // ConfigureHttpClient/AddHttpMessageHandler calls on the same name run after this one.
        // Like the client's own handler, the registered one follows no redirect (a 3xx is a QwenApiException naming the Location):
        // the conversation and key are never re-sent elsewhere. A primary handler the user configures keeps its own setting.
        services.AddHttpClient(name)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler((handler, _) =>
            {
                switch (handler)
                {
                    case SocketsHttpHandler sockets:
                        sockets.AllowAutoRedirect = false;
                        break;
                    case HttpClientHandler client:
                        client.AllowAutoRedirect = false;
                        break;
                }
            });
        return name;
    }

    /// <summary>
    /// Builds the client of a registration (also used by the Semantic Kernel package): logging from the container, the named
    /// <see cref="HttpClient"/> unless one is given, and a missing key or invalid setting re-thrown as an
    /// <see cref="InvalidOperationException"/> that names the registration and where to fix it.
    /// </summary>
    /// <param name="services">The container the client is resolved from.</param>
    /// <param name="options">The registration's options.</param>
    /// <param name="httpClient">An explicit client, or <see langword="null"/> for the one named <see cref="GetHttpClientName"/>.</param>
    /// <param name="serviceKey">The registration's key, or <see langword="null"/>.</param>
    /// <param name="which">The registration, as the subject of the message ("The Qwen IChatClient with key 'fast'").</param>
    /// <param name="setKey">How to set the key, completed by ", or the DASHSCOPE_API_KEY environment variable".</param>
    /// <param name="source">Where the settings come from ("the configuration section 'Qwen'").</param>
    internal static QwenChatClient CreateClient(
        IServiceProvider services, QwenClientOptions options, HttpClient? httpClient, object? serviceKey, string which, string setKey, string source)
    {
        ThrowIfUnnamedOptionsAreConfigured(services, serviceKey, which);
        return Create(services, options, httpClient ?? services.GetRequiredService<IHttpClientFactory>().CreateClient(GetHttpClientName(serviceKey)), which, setKey, source, static (o, h) => new QwenChatClient(o, h));
    }

    /// <summary>
    /// The plumbing behind <see cref="CreateClient"/> for any Qwen client type (the chat client, the embedding generator): the key check,
    /// logging from the container, and <see cref="ArgumentException"/>s re-thrown as <see cref="InvalidOperationException"/>s naming
    /// the registration and <paramref name="source"/>.
    /// </summary>
    internal static T Create<T>(
        IServiceProvider services, QwenClientOptions options, HttpClient httpClient, string which, string setKey, string source, Func<QwenClientOptions, HttpClient, T> factory)
    {
        if (options.ResolveApiKey() is null)
        {
            throw new InvalidOperationException(
                $"{which} has no DashScope API key: {setKey}, or the {QwenClientOptions.ApiKeyEnvironmentVariable} environment variable. " +
                "Keys are bound to the region of the endpoint.");
        }

        options.LoggerFactory ??= services.GetService<ILoggerFactory>();
        try
        {
            return factory(options, httpClient);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{which} is misconfigured in {source}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// <c>services.Configure&lt;QwenClientOptions&gt;(o =&gt; ...)</c> configures the unnamed options, which no registration reads
    /// (each reads its own named options, <see cref="GetHttpClientName"/>): rather than ignore it silently, say what to write instead.
    /// </summary>
    private static void ThrowIfUnnamedOptionsAreConfigured(IServiceProvider services, object? serviceKey, string which)
    {
        foreach (var configure in services.GetServices<IConfigureOptions<QwenClientOptions>>())
        {
            if (configure is ConfigureNamedOptions<QwenClientOptions> { Name: "" })
            {
                var name = GetHttpClientName(serviceKey);
                throw new InvalidOperationException(
                    $"services.Configure<QwenClientOptions>(...) configures the unnamed options, which {which} does not read. " +
                    $"Configure it in {(serviceKey is null ? "AddQwenChatClient" : "AddKeyedQwenChatClient")}(o => ...) or its configure argument, " +
                    $"or name the options: services.Configure<QwenClientOptions>(\"{name}\", o => ...) (ConfigureAll applies to every registration).");
            }
        }
    }

    /// <summary>A hint for a missing key when the section bound is empty, missing or the whole configuration.</summary>
    private static string SectionHint(IConfiguration? section) => section switch
    {
        null => string.Empty,
        IConfigurationSection s when !s.GetChildren().Any() && s.Value is null =>
            $" (the section '{s.Path}' is empty or missing: check its name, for example configuration.GetSection(\"{DefaultSectionName}\"))",
        IConfigurationSection => string.Empty,
        _ => $" (the whole configuration was passed, not a section: pass configuration.GetSection(\"{DefaultSectionName}\"))",
    };

    internal static void Bind(OptionsBuilder<QwenClientOptions> builder, IConfiguration section, Action<QwenClientOptions>? configure)
    {
        builder.Configure(o => QwenOptionsBinder.Bind(section, o));
        if (configure is not null)
        {
            builder.Configure(configure);
        }
    }

    private static string Describe(IConfiguration section) => Describe(section, "AddQwenChatClient");

    internal static string Describe(IConfiguration section, string method) =>
        section is IConfigurationSection s ? $"the configuration section '{s.Path}'" : $"the configuration passed to {method}";
}
