using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The one place requests leave the client: builds the POST to <c>{endpoint}/{path}</c> (<c>chat/completions</c>, <c>embeddings</c>) with the bearer key, sends it
/// (headers first, so streams start at once), retries transient failures (<see cref="RetryPolicy"/>), applies the timeouts, and
/// turns every failure into a documented exception: <see cref="QwenApiException"/> for the service's errors and broken
/// connections, <see cref="TimeoutException"/> naming the option for timeouts, <see cref="OperationCanceledException"/> for the
/// caller's token.
/// </summary>
internal sealed class QwenHttpSender : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue EventStreamMediaType = new("text/event-stream");
    private static readonly MediaTypeWithQualityHeaderValue JsonMediaType = new("application/json");
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _httpClient;
    private readonly bool _disposeHttpClient;
    private readonly string _authorization;
    private readonly string _apiKey;
    private readonly int _maxRetries;
    private readonly TimeSpan _retryBaseDelay;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _headersTimeout;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _responseTimeout;
    private readonly int _maxBodyBytes;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    // Cancelled by Dispose: a call in flight (a retry wait, the headers, a body, a stream) ends at once with ObjectDisposedException.
    // Never disposed itself, so a late call can still link to it.
    private readonly CancellationTokenSource _lifetime = new();

    /// <param name="options">The client's options (endpoint, retries, timeouts, logging, clock).</param>
    /// <param name="apiKey">The resolved key.</param>
    /// <param name="httpClient">The caller's client, or <see langword="null"/> for one of our own.</param>
    /// <param name="path">The endpoint path relative to the base URL: a table's <c>EndpointPath</c>.</param>
    /// <param name="loggerCategory">The logger category, the public client's type name.</param>
    public QwenHttpSender(QwenClientOptions options, string apiKey, HttpClient? httpClient, string path = Wire.ChatParameters.EndpointPath, string loggerCategory = "Qwen.Extensions.AI.QwenChatClient")
    {
        Endpoint = options.ValidateEndpoint();
        ValidateReliability(options);
        RequestUri = new Uri(Endpoint.AbsoluteUri.TrimEnd('/') + "/" + path);
        _apiKey = apiKey;
        _authorization = "Bearer " + apiKey;
        _maxRetries = options.MaxRetries;
        _retryBaseDelay = options.RetryBaseDelay;
        _requestTimeout = options.RequestTimeout;
        _headersTimeout = options.StreamingHeadersTimeout;
        _idleTimeout = options.StreamingIdleTimeout;
        _responseTimeout = options.StreamingResponseTimeout;
        _maxBodyBytes = options.MaxResponseBodyBytes;
        _timeProvider = options.TimeProvider;
        _logger = options.LoggerFactory?.CreateLogger(loggerCategory) ?? NullLogger.Instance;
        _disposeHttpClient = httpClient is null;

        // Our own timeouts apply, so the client's is off; a pooled connection is renewed now and then to follow DNS changes. Redirects
        // are not followed: a 3xx becomes a QwenApiException naming the Location, so the conversation and key never go elsewhere
        // (a caller's HttpClient keeps its own setting).
        _httpClient = httpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Endpoint { get; }

    /// <summary>Gets the URL every request of this sender goes to, for example <c>{endpoint}/chat/completions</c>.</summary>
    public Uri RequestUri { get; }

    public HttpClient HttpClient => _httpClient;

    /// <summary>Gets <see cref="QwenClientOptions.RequestTimeout"/>, which also bounds the stream-only fallback of a non-streaming call.</summary>
    public TimeSpan RequestTimeout => _requestTimeout;

    /// <summary>Gets the configured clock.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Gets a token cancelled when the client is disposed.</summary>
    public CancellationToken LifetimeToken => _lifetime.Token;

    /// <summary>Gets the API key, for redaction only.</summary>
    public string ApiKey => _apiKey;

    /// <summary>Gets a value indicating whether the client was disposed.</summary>
    public bool IsDisposed => _lifetime.IsCancellationRequested;

    /// <summary>Sends a non-streaming request (with retries) and reads the whole 2xx answer, each attempt within <see cref="QwenClientOptions.RequestTimeout"/>.</summary>
    public Task<CompletionBody> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        SendAsync(new OutgoingRequest(HttpMethod.Post, RequestUri, body), cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> (any method and URI, an optional extra header) with retries and reads the whole 2xx answer;
    /// <see cref="OutgoingRequest.CheckBody"/> may turn a 2xx body into a failure, which is then retried like any other.
    /// </summary>
    public Task<CompletionBody> SendAsync(OutgoingRequest request, CancellationToken cancellationToken) =>
        WithRetriesAsync(static (sender, request, ct) => sender.SendOnceAsync(request, ct), request, cancellationToken);

    /// <summary>
    /// Sends a streaming request (with retries until the service answers 2xx) and returns its event stream, guarded by the
    /// idle timeout. Once the headers are in, nothing is retried: the caller may already have shown output.
    /// </summary>
    public Task<ResponseEventStream> SendStreamingAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        SendStreamingAsync(new OutgoingRequest(HttpMethod.Post, RequestUri, body), cancellationToken);

    /// <summary>Sends a streaming <paramref name="request"/> (with retries until the service answers 2xx) and returns its event stream.</summary>
    public Task<ResponseEventStream> SendStreamingAsync(OutgoingRequest request, CancellationToken cancellationToken) =>
        WithRetriesAsync(static (sender, request, ct) => sender.SendStreamingOnceAsync(request, ct), request, cancellationToken);

    public void Dispose()
    {
        try
        {
            _lifetime.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of a call in flight threw; that call reports its own failure.
        }

        if (_disposeHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, or fails in a way <see cref="TryPlanRetry"/> does not retry.</summary>
    private async Task<T> WithRetriesAsync<T>(Func<QwenHttpSender, OutgoingRequest, CancellationToken, Task<T>> attempt, OutgoingRequest request, CancellationToken cancellationToken)
    {
        if (_lifetime.IsCancellationRequested)
        {
            throw QwenErrors.Disposed(null);
        }

        for (var retry = 1; ; retry++)
        {
            try
            {
                return await attempt(this, request, cancellationToken).ConfigureAwait(false);
            }
            catch (QwenApiException) when (_lifetime.IsCancellationRequested)
            {
                // Disposed while the attempt failed: not retried, and reported as the disposal it is.
                throw QwenErrors.Disposed(null);
            }
            catch (QwenApiException ex) when (TryPlanRetry(ex, retry, out var delay))
            {
                await DelayAsync(ex, retry, delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<CompletionBody> SendOnceAsync(OutgoingRequest request, CancellationToken cancellationToken)
    {
        using var deadline = Deadline.Start(_requestTimeout, _timeProvider, cancellationToken, _lifetime.Token);
        string? requestId = null;
        try
        {
            using var response = await SendCoreAsync(request, streaming: false, deadline.Token, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
            requestId = QwenErrors.Redact(ResponseHeaders.RequestId(response), _apiKey);
            PooledBufferWriter bytes;
            try
            {
                // Into a pooled buffer, not a fresh byte[] (and no intermediate copy): the body is parsed and released at once. The
                // whole read runs under RequestTimeout, and stops at MaxResponseBodyBytes (after decompression).
                bytes = await ResponseEventStream.ReadBodyAsync(
                    response.Content, _maxBodyBytes, failWhenLarger: true, Timeout.InfiniteTimeSpan, _timeProvider, requestId, _apiKey, response.StatusCode, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ResponseEventStream.IsTransportFailure(ex) && !deadline.Token.IsCancellationRequested)
            {
                throw QwenErrors.ConnectionCut("response body", ex, response.StatusCode, requestId, _apiKey);
            }

            var answer = new CompletionBody(bytes, response.StatusCode, requestId);
            if (request.CheckBody?.Invoke(answer, _apiKey) is { } failure)
            {
                // A failure reported inside a 2xx body (the Responses API's status "failed"): retried like the status it carries.
                answer.Dispose();
                throw failure;
            }

            return answer;
        }
        catch (QwenApiException ex) when (QwenErrors.IsStreamOnlyRejection(ex))
        {
            // The stream-only fallback belongs to this attempt: it gets what is left of RequestTimeout.
            ex.AttemptStarted = deadline.Started;
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            var translated = TranslateCancellation(ex, deadline, cancellationToken, nameof(QwenClientOptions.RequestTimeout), _requestTimeout, "got no complete answer", requestId);
            if (ReferenceEquals(translated, ex))
            {
                throw;
            }

            throw translated;
        }
    }

    private async Task<ResponseEventStream> SendStreamingOnceAsync(OutgoingRequest request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (var deadline = Deadline.Start(_headersTimeout, _timeProvider, cancellationToken, _lifetime.Token))
        {
            try
            {
                response = await SendCoreAsync(request, streaming: true, deadline.Token, _idleTimeout).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
            {
                var translated = TranslateCancellation(ex, deadline, cancellationToken, nameof(QwenClientOptions.StreamingHeadersTimeout), _headersTimeout, "got no response headers", null);
                if (ReferenceEquals(translated, ex))
                {
                    throw;
                }

                throw translated;
            }
        }

        if (response.Content.Headers.ContentType?.MediaType is { } mediaType && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            // A JSON answer to a streaming request is an error body (some gateways send errors with 200), never a stream:
            // report what it says rather than "the stream ended before [DONE]".
            // Read under StreamingIdleTimeout per read, like the stream it replaces.
            using (response)
            {
                throw await ReadErrorAsync(response, _idleTimeout, cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            var requestId = QwenErrors.Redact(ResponseHeaders.RequestId(response), _apiKey);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseEventStream(response, stream, requestId, _idleTimeout, _responseTimeout, _timeProvider, cancellationToken, _lifetime.Token, _apiKey);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>One POST; a non-2xx answer becomes a <see cref="QwenApiException"/>, a failed connection one with <see cref="QwenApiException.IsConnectionFailure"/>.</summary>
    private async Task<HttpResponseMessage> SendCoreAsync(OutgoingRequest outgoing, bool streaming, CancellationToken cancellationToken, TimeSpan perReadTimeout)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var request = new HttpRequestMessage(outgoing.Method, outgoing.Uri);
        if (outgoing.Method == HttpMethod.Post)
        {
            request.Content = new ReadOnlyMemoryContent(outgoing.Body);
            request.Content.Headers.ContentType = JsonContentType;
        }

        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        if (outgoing.Header is { } header)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Headers.Accept.Add(streaming ? EventStreamMediaType : JsonMediaType);

        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw QwenErrors.ConnectionFailed(outgoing.Uri, ex, _apiKey);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ReadErrorAsync(response, perReadTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads an error body (capped, each read within <paramref name="perReadTimeout"/>) into a <see cref="QwenApiException"/>.</summary>
    private Task<QwenApiException> ReadErrorAsync(HttpResponseMessage response, TimeSpan perReadTimeout, CancellationToken cancellationToken) =>
        QwenErrors.FromResponseAsync(response, _apiKey, _maxBodyBytes, perReadTimeout, _timeProvider, cancellationToken);

    /// <summary>
    /// An attempt ended by a cancellation (or by a connection torn down because of one): the caller's token stays an
    /// <see cref="OperationCanceledException"/>; our timeout becomes a <see cref="TimeoutException"/> naming its option; any other
    /// cancellation is the caller's <see cref="System.Net.Http.HttpClient.Timeout"/>. Anything else is rethrown as it is.
    /// </summary>
    private Exception TranslateCancellation(Exception ex, Deadline deadline, CancellationToken cancellationToken, string optionName, TimeSpan timeout, string what, string? requestId)
    {
        if (_lifetime.IsCancellationRequested)
        {
            return QwenErrors.Disposed(ex);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ex as OperationCanceledException ?? new OperationCanceledException("The Qwen request was cancelled.", ex, cancellationToken);
        }

        if (deadline.Fired)
        {
            return QwenErrors.Timeout(optionName, timeout, what, requestId, ex, _apiKey);
        }

        return ex is OperationCanceledException ? QwenErrors.HttpClientTimeout(_httpClient.Timeout, ex) : ex;
    }

    /// <summary>Whether attempt <paramref name="retry"/> is within <see cref="QwenClientOptions.MaxRetries"/> and <see cref="RetryPolicy"/> allows it; logs a refused long hint.</summary>
    private bool TryPlanRetry(QwenApiException error, int retry, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (retry > _maxRetries)
        {
            return false;
        }

        if (RetryPolicy.TryGetDelay(error, retry, _retryBaseDelay, out delay))
        {
            return true;
        }

        if (error.RetryAfter > RetryPolicy.MaxRetryAfter && RetryPolicy.IsRetryable(error))
        {
            Log.RetryAfterTooLong(_logger, (int?)error.StatusCode, QwenErrors.Redact(error.ErrorCode, _apiKey), error.RetryAfter.Value.TotalSeconds, QwenErrors.Redact(error.RequestId, _apiKey));
        }

        return false;
    }

    private async Task DelayAsync(QwenApiException error, int retry, TimeSpan delay, CancellationToken cancellationToken)
    {
        // The exception's fields are redacted by QwenErrors; redacted again here so no log line can carry the key.
        Log.Retrying(_logger, retry, _maxRetries, (long)delay.TotalMilliseconds, (int?)error.StatusCode, QwenErrors.Redact(error.ErrorCode, _apiKey) ?? error.InnerException?.GetType().Name, QwenErrors.Redact(error.RequestId, _apiKey));
        if (delay > TimeSpan.Zero)
        {
            // Disposal wakes the wait at once.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
            try
            {
                await Task.Delay(delay, _timeProvider, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (_lifetime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw QwenErrors.Disposed(ex);
            }
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (_lifetime.IsCancellationRequested)
        {
            throw QwenErrors.Disposed(null);
        }
    }

    private static void ValidateReliability(QwenClientOptions options)
    {
        if (options.MaxRetries is < 0 or > QwenClientOptions.MaxRetriesLimit)
        {
            throw new ArgumentOutOfRangeException("options", $"QwenClientOptions.MaxRetries must be from 0 (no retries) to {QwenClientOptions.MaxRetriesLimit}; got {options.MaxRetries}.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > RetryPolicy.MaxBackoff)
        {
            throw new ArgumentOutOfRangeException("options", $"QwenClientOptions.RetryBaseDelay must be from 0 to {RetryPolicy.MaxBackoff.TotalSeconds} s; got {options.RetryBaseDelay}.");
        }

        ValidateTimeout(options.RequestTimeout, nameof(QwenClientOptions.RequestTimeout));
        ValidateTimeout(options.StreamingHeadersTimeout, nameof(QwenClientOptions.StreamingHeadersTimeout));
        ValidateTimeout(options.StreamingIdleTimeout, nameof(QwenClientOptions.StreamingIdleTimeout));
        ValidateTimeout(options.StreamingResponseTimeout, nameof(QwenClientOptions.StreamingResponseTimeout));
        if (options.MaxResponseBodyBytes <= 0)
        {
            throw new ArgumentOutOfRangeException("options", options.MaxResponseBodyBytes, $"QwenClientOptions.MaxResponseBodyBytes must be positive (default {QwenClientOptions.DefaultMaxResponseBodyBytes:N0}); got {options.MaxResponseBodyBytes}.");
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentException("QwenClientOptions.TimeProvider is null; leave it at TimeProvider.System or set a TimeProvider.", "options");
        }
    }

    private static void ValidateTimeout(TimeSpan timeout, string name)
    {
        if (timeout != Timeout.InfiniteTimeSpan && (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException("options", $"QwenClientOptions.{name} must be positive (up to about 24.8 days) or Timeout.InfiniteTimeSpan to turn it off; got {timeout}.");
        }
    }

    /// <summary>A cancellation token that fires at the caller's cancellation or after a timeout on the configured clock; knows which.</summary>
    private sealed class Deadline : IDisposable
    {
        private readonly CancellationTokenSource? _linked;
        private readonly ITimer? _timer;
        private volatile bool _fired;

        private Deadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken, CancellationToken lifetimeToken)
        {
            Started = timeProvider.GetTimestamp();
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetimeToken);
            Token = _linked.Token;
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                _timer = timeProvider.CreateTimer(static state => ((Deadline)state!).Fire(), this, timeout, Timeout.InfiniteTimeSpan);
            }
        }

        public CancellationToken Token { get; }

        public bool Fired => _fired;

        /// <summary>Gets the <see cref="TimeProvider.GetTimestamp"/> at which the attempt started.</summary>
        public long Started { get; }

        public static Deadline Start(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken, CancellationToken lifetimeToken) =>
            new(timeout, timeProvider, cancellationToken, lifetimeToken);

        public void Dispose()
        {
            _timer?.Dispose();
            _linked?.Dispose();
        }

        private void Fire()
        {
            _fired = true;
            try
            {
                _linked?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt already finished.
            }
        }
    }
}
