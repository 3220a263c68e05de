using Microsoft.Extensions.Options;
using Qwen.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>What every registration of a Qwen service other than the chat client shares (embeddings, files).</summary>
internal static class QwenRegistration
{
    /// <summary>
    /// Registers the named <see cref="HttpClient"/> (no overall timeout: <see cref="QwenClientOptions.RequestTimeout"/> bounds each
    /// attempt; no redirects) and the named <see cref="QwenClientOptions"/>, and returns the factory of the service, which checks the
    /// key and reports a misconfiguration with where it came from (<paramref name="source"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The name of the HttpClient and of the options.</param>
    /// <param name="configureOptions">Configures the options (a callback or a section binding).</param>
    /// <param name="which">The service as the error messages name it.</param>
    /// <param name="source">Where the options come from, for the error messages.</param>
    /// <param name="httpClient">An HttpClient to use instead of the named one (the Semantic Kernel package passes its own), or <see langword="null"/>.</param>
    /// <param name="create">Creates the service.</param>
    /// <returns>The factory to register.</returns>
    public static Func<IServiceProvider, T> Register<T>(
        IServiceCollection services, string name, Action<OptionsBuilder<QwenClientOptions>> configureOptions, string which, string source, HttpClient? httpClient, Func<QwenClientOptions, HttpClient, T> create)
    {
        QwenChatClientServiceCollectionExtensions.AddNamedQwenHttpClient(services, name);
        configureOptions(services.AddOptions<QwenClientOptions>(name));
        return sp => QwenChatClientServiceCollectionExtensions.Create(
            sp,
            sp.GetRequiredService<IOptionsMonitor<QwenClientOptions>>().Get(name),
            httpClient ?? sp.GetRequiredService<IHttpClientFactory>().CreateClient(name),
            which,
            $"set ApiKey in {source}",
            source,
            create);
    }
}
