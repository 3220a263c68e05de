using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI;

/// <summary>An <see cref="IChatClient"/> for Alibaba Cloud's Qwen models through DashScope's OpenAI-compatible mode.</summary>
/// <remarks>
/// Thread-safe; create one per endpoint and key and reuse it. Qwen extras (<c>enable_thinking</c>, <c>thinking_budget</c>,
/// <c>enable_search</c>, ...) go in <see cref="ChatOptions.AdditionalProperties"/> by wire name (see <see cref="QwenPropertyNames"/>).
/// Stream-only models are served by <see cref="GetResponseAsync"/> too: it streams under the hood and aggregates, from the first
/// call for the models the table of model facts marks <see cref="QwenModelCapabilities.StreamOnly"/>, and after the service's
/// refusal (remembered per model) for the others.
/// Transient failures are retried and every wait is bounded: see <see cref="QwenClientOptions.MaxRetries"/> and the timeouts
/// there (the whole policy is in docs/reliability.md). Failures surface as
/// <see cref="QwenApiException"/>, timeouts as <see cref="TimeoutException"/>, cancellation as <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class QwenChatClient : IChatClient
{
    private const string ProviderName = "qwen";

    private readonly QwenHttpSender _sender;
    private readonly ChatClientMetadata _metadata;
    private readonly string? _defaultModelId;
    private readonly bool _streamingRaw;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, Task<ResponseEventStream>> _send;
    private readonly ConcurrentDictionary<string, bool> _streamOnlyModels = new(StringComparer.Ordinal);
    private readonly ModelFacts _modelFacts;
    private readonly CacheSettings _cache;
    private readonly bool _recoverLeakedToolCalls;

    /// <summary>Initializes a new instance of the <see cref="QwenChatClient"/> class.</summary>
    /// <param name="options">The endpoint, key and default model.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send with (never disposed by this client), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="InvalidOperationException">No API key is set and <c>DASHSCOPE_API_KEY</c> is empty.</exception>
    /// <exception cref="ArgumentException">The endpoint is relative, not http(s), or plain http to a remote host.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry or timeout setting is out of its range.</exception>
    public QwenChatClient(QwenClientOptions options, HttpClient? httpClient = null)
    {
        Throw.IfNull(options);
        var apiKey = options.ResolveValidApiKey();
        if (options.DefaultModelId is { } model && string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("QwenClientOptions.DefaultModelId is empty or whitespace; set a model such as 'qwen-plus' or leave it null.", nameof(options));
        }

        _sender = new QwenHttpSender(options, apiKey, httpClient);
        _send = _sender.SendStreamingAsync;
        _defaultModelId = options.DefaultModelId;
        _streamingRaw = options.StreamingRawRepresentation;
        _recoverLeakedToolCalls = options.RecoverToolCallsFromReasoning;
        _modelFacts = new ModelFacts(options.ModelCapabilities);
        _cache = new CacheSettings(options.ContextCache, options.LoggerFactory?.CreateLogger<QwenChatClient>());
        _metadata = new ChatClientMetadata(ProviderName, _sender.Endpoint, _defaultModelId);
    }

    /// <summary>Initializes a new instance of the <see cref="QwenChatClient"/> class for the Singapore endpoint.</summary>
    /// <param name="apiKey">The DashScope API key, or <see langword="null"/> or empty to read it from <c>DASHSCOPE_API_KEY</c>.</param>
    /// <param name="defaultModelId">The model used when <see cref="ChatOptions.ModelId"/> is not set, for example <c>qwen-plus</c>.</param>
    /// <exception cref="InvalidOperationException">No API key is given and <c>DASHSCOPE_API_KEY</c> is empty (the same message as the options constructor).</exception>
    public QwenChatClient(string apiKey, string? defaultModelId = null)
        : this(new QwenClientOptions { ApiKey = apiKey, DefaultModelId = defaultModelId })
    {
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = ChatArguments.AsList(messages);
        var model = ChatArguments.ResolveModel(options, _defaultModelId, "qwen-plus");
        var recovery = LeakedToolCallRecovery.ForRequest(options, _recoverLeakedToolCalls);

        // Stream-only models the table of model facts knows (QwQ, QVQ, Omni) stream from the first call; others are learnt from
        // the service's refusal below and remembered.
        if (_modelFacts.Has(model, QwenModelCapabilities.StreamOnly) || _streamOnlyModels.ContainsKey(model))
        {
            return await StreamAndAggregateAsync(history, options, model, recovery, _sender.TimeProvider.GetTimestamp(), cancellationToken).ConfigureAwait(false);
        }

        long attemptStarted;
        using (var body = BuildBody(history, options, model, stream: false))
        {
            try
            {
                using var answer = await _sender.SendAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
                return ParseResponse(answer, ChatArguments.IncludeReasoning(options), _sender.ApiKey, recovery);
            }
            catch (QwenApiException ex) when (QwenErrors.IsStreamOnlyRejection(ex))
            {
                // QVQ, QwQ, Omni and open-source Qwen3 (thinking mode, or without stream) only stream: stream and aggregate, and
                // remember the model. The five refusals this recognises are QwenErrors.StreamOnlyRejections.
                _streamOnlyModels[model] = true;
                attemptStarted = ex.AttemptStarted ?? _sender.TimeProvider.GetTimestamp();
            }
        }

        return await StreamAndAggregateAsync(history, options, model, recovery, attemptStarted, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Validate and build the body now, so bad input fails at the call, before anything is sent.
        var history = ChatArguments.AsList(messages);
        var model = ChatArguments.ResolveModel(options, _defaultModelId, "qwen-plus");
        var recovery = LeakedToolCallRecovery.ForRequest(options, _recoverLeakedToolCalls);
        var body = BuildBody(history, options, model, stream: true);

        // Each enumeration sends a new request, as MEAI's clients do: the first with this body, later ones with a body built again.
        return new StreamingResponse(body, () => BuildBody(history, options, model, stream: true), _send, ChatArguments.IncludeReasoning(options), _streamingRaw, cancellationToken) { Recovery = recovery };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        return
            serviceKey is not null ? null :
            serviceType == typeof(ChatClientMetadata) ? _metadata :
            serviceType == typeof(HttpClient) ? _sender.HttpClient :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    /// <inheritdoc />
    public void Dispose() => _sender.Dispose();

    /// <summary>Returns a description of the client with the endpoint and default model; never the API key.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"QwenChatClient({_sender.Endpoint}, model: {_defaultModelId ?? "(per request)"})";

    /// <summary>
    /// A non-streaming call served by streaming: the attempt that began at <paramref name="attemptStarted"/> (the rejected one, or
    /// this call) must finish within <see cref="QwenClientOptions.RequestTimeout"/>; keep-alives do not extend it.
    /// </summary>
    private async Task<ChatResponse> StreamAndAggregateAsync(IList<ChatMessage> history, ChatOptions? options, string model, LeakedToolCallRecovery? recovery, long attemptStarted, CancellationToken cancellationToken)
    {
        var timeout = _sender.RequestTimeout;
        var timeProvider = _sender.TimeProvider;
        using var deadline = timeout == Timeout.InfiniteTimeSpan ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = deadline is null ? null : timeProvider.CreateTimer(
            static state => CancelQuietly((CancellationTokenSource)state!),
            deadline,
            Max(timeout - timeProvider.GetElapsedTime(attemptStarted), TimeSpan.FromMilliseconds(1)),
            Timeout.InfiniteTimeSpan);
        var token = deadline?.Token ?? cancellationToken;

        var body = BuildBody(history, options, model, stream: true);
        try
        {
            return await StreamAggregator.AggregateAsync(StreamAsync(body, ChatArguments.IncludeReasoning(options), recovery, token), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested && !_sender.IsDisposed)
        {
            throw QwenErrors.Timeout(nameof(QwenClientOptions.RequestTimeout), timeout, "got no complete answer (streamed for a stream-only model)", null, ex);
        }
    }

    // Sends when enumeration starts; the answer (its connection) and the pooled body are released when it ends or is abandoned.
    // Exceptions the mappers raise from a malformed event (dates, base64, ...) surface as a malformed-payload QwenApiException.
    private IAsyncEnumerable<ChatResponseUpdate> StreamAsync(PooledBufferWriter body, bool includeReasoning, LeakedToolCallRecovery? recovery, CancellationToken cancellationToken) =>
        new StreamingUpdateEnumerator(new StreamingResponseReader(null, includeReasoning, HttpStatusCode.OK) { KeepRawEvents = _streamingRaw, Recovery = recovery }, null, ct => _sender.SendStreamingAsync(body.WrittenMemory, ct), body, cancellationToken);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call already finished.
        }
    }

    private static ChatResponse ParseResponse(CompletionBody answer, bool includeReasoning, string apiKey, LeakedToolCallRecovery? recovery)
    {
        var (body, status, requestId) = answer;
        var bytes = body.WrittenSpan;
        if (bytes.IsEmpty)
        {
            throw QwenErrors.EmptyBody(status, requestId);
        }

        var frame = new ChatCompletionFrame();
        try
        {
            CompletionJsonReader.Read(bytes, frame);
            var response = ChatResponseMapper.ToChatResponse(frame, requestId, includeReasoning, status, apiKey, recovery);

            // The whole body, for what has no MEAI member (system_fingerprint, cache_type, ...); a copy: the pooled body goes back.
            var reader = new Utf8JsonReader(bytes);
            var raw = JsonElement.ParseValue(ref reader);
            response.RawRepresentation = raw;
            foreach (var message in response.Messages)
            {
                message.RawRepresentation = raw;
            }

            return response;
        }
        catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
        {
            throw QwenErrors.Malformed("response body", ex, status, requestId, apiKey);
        }
    }

    private PooledBufferWriter BuildBody(IList<ChatMessage> history, ChatOptions? options, string model, bool stream)
    {
        ChatRequestWriter.ThrowIfSpeechRecognitionInUsRegion(model, _modelFacts, _sender.Endpoint);
        var body = new PooledBufferWriter();
        try
        {
            ChatRequestWriter.Write(body, history, options, model, stream, this, _modelFacts, _cache);
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }
}
