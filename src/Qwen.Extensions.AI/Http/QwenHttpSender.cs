using System.Net;
using System.Net.Http.Headers;

namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The one place requests leave the client: builds the POST to <c>{endpoint}/chat/completions</c> with the bearer key,
/// sends it (headers first, so streams start at once), and turns a non-2xx answer into a <see cref="QwenApiException"/>.
/// Retries and timeouts wrap this seam.
/// </summary>
internal sealed class QwenHttpSender : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient _httpClient;
    private readonly bool _disposeHttpClient;
    private readonly string _authorization;
    private readonly string _apiKey;

    public QwenHttpSender(Uri endpoint, string apiKey, HttpClient? httpClient, bool allowInsecureHttp)
    {
        Endpoint = Validate(endpoint, allowInsecureHttp);
        ChatCompletionsUri = new Uri(Endpoint.AbsoluteUri.TrimEnd('/') + "/chat/completions");
        _apiKey = apiKey;
        _authorization = "Bearer " + apiKey;
        _disposeHttpClient = httpClient is null;
        _httpClient = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Endpoint { get; }

    public Uri ChatCompletionsUri { get; }

    public HttpClient HttpClient => _httpClient;

    /// <summary>Sends a request body; the returned response is 2xx and belongs to the caller.</summary>
    public async Task<HttpResponseMessage> SendAsync(ReadOnlyMemory<byte> body, bool streaming, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletionsUri)
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        request.Headers.Accept.Add(streaming ? EventStream : Json);

        var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorResponseMapper.FromResponseAsync(response, _apiKey, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_disposeHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private static Uri Validate(Uri endpoint, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"QwenClientOptions.Endpoint must be an absolute URL such as {QwenEndpoints.Singapore}; got the relative '{endpoint}'.", "options");
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"QwenClientOptions.Endpoint must be an http(s) URL; got the scheme '{endpoint.Scheme}'.", "options");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback && !allowInsecureHttp)
        {
            throw new ArgumentException(
                $"QwenClientOptions.Endpoint '{endpoint}' is plain http to a host that is not loopback, so the API key would travel unencrypted. " +
                "Use https, or set QwenClientOptions.AllowInsecureHttp = true if you really mean it.", "options");
        }

        return endpoint;
    }
}
