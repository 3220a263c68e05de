namespace Qwen.Extensions.AI;

/// <summary>An <see cref="IChatClient"/> over DashScope's OpenAI-style Responses API (<c>POST {endpoint}/responses</c>).</summary>
/// <remarks>
/// Thread-safe; create one per endpoint and key and reuse it. Same options, key resolution, retries, timeouts, redaction and
/// errors as <see cref="QwenChatClient"/>. Conversations can be kept on the server: a response that is stored (the default)
/// comes back with <see cref="ChatResponse.ConversationId"/> set to its id, and a request with <see cref="ChatOptions.ConversationId"/>
/// sends it as <c>previous_response_id</c> with only the messages the server does not have yet.
/// </remarks>
public sealed class QwenResponsesChatClient : IChatClient
{
    private const string ProviderName = "qwen";

    private readonly QwenHttpSender _sender;
    private readonly ChatClientMetadata _metadata;
    private readonly string? _defaultModelId;

    /// <summary>Initializes a new instance of the <see cref="QwenResponsesChatClient"/> class.</summary>
    /// <param name="options">The endpoint, key and default model.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send with (never disposed by this client), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="InvalidOperationException">No API key is set and <c>DASHSCOPE_API_KEY</c> is empty.</exception>
    /// <exception cref="ArgumentException">The endpoint is relative, not http(s), or plain http to a remote host.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry or timeout setting is out of its range.</exception>
    public QwenResponsesChatClient(QwenClientOptions options, HttpClient? httpClient = null)
    {
        Throw.IfNull(options);
        var apiKey = options.ResolveValidApiKey();
        if (options.DefaultModelId is { } model && string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("QwenClientOptions.DefaultModelId is empty or whitespace; set a model such as 'qwen3.5-plus' or leave it null.", nameof(options));
        }

        _sender = new QwenHttpSender(options, apiKey, httpClient, ResponsesParameters.EndpointPath, typeof(QwenResponsesChatClient).FullName!);
        _defaultModelId = options.DefaultModelId;
        _metadata = new ChatClientMetadata(ProviderName, _sender.Endpoint, _defaultModelId);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = ChatArguments.AsList(messages);
        var model = ChatArguments.ResolveModel(options, _defaultModelId, "qwen3.5-plus");
        var plan = ResponsesRequestWriter.GetPlan(options);
        using var body = BuildBody(history, options, model, stream: false, plan);
        var request = new OutgoingRequest(HttpMethod.Post, _sender.RequestUri, body.WrittenMemory, Header(plan), CheckFailed);
        using var answer = await _sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Parse(answer, ChatArguments.IncludeReasoning(options), plan.Store, _sender.ApiKey);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Validate and build the body now, so bad input fails at the call, before anything is sent.
        var history = ChatArguments.AsList(messages);
        var model = ChatArguments.ResolveModel(options, _defaultModelId, "qwen3.5-plus");
        var plan = ResponsesRequestWriter.GetPlan(options);
        var first = new StrongBox<PooledBufferWriter?>(BuildBody(history, options, model, stream: true, plan));
        return StreamAsync(first, () => BuildBody(history, options, model, stream: true, plan), plan, ChatArguments.IncludeReasoning(options), cancellationToken);
    }

    /// <summary>Retrieves a stored response by id (<c>GET {endpoint}/responses/{id}</c>).</summary>
    /// <param name="responseId">The response id, as in <see cref="ChatResponse.ResponseId"/> or <see cref="ChatResponse.ConversationId"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The stored response, mapped as <see cref="GetResponseAsync"/> maps a fresh one.</returns>
    /// <exception cref="ArgumentException"><paramref name="responseId"/> is empty or whitespace.</exception>
    /// <exception cref="QwenApiException">The service refused, or the response is not stored (created with <c>store: false</c>, or expired after 7 days).</exception>
    public async Task<ChatResponse> GetStoredResponseAsync(string responseId, CancellationToken cancellationToken = default)
    {
        var request = new OutgoingRequest(HttpMethod.Get, ResponseUri(responseId), ReadOnlyMemory<byte>.Empty, null, CheckFailed);
        using var answer = await _sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Parse(answer, includeReasoning: true, store: true, _sender.ApiKey);
    }

    /// <summary>Deletes a stored response by id (<c>DELETE {endpoint}/responses/{id}</c>).</summary>
    /// <param name="responseId">The response id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>Whether the service reported it deleted (<c>"deleted": true</c>; an empty 2xx body counts as deleted).</returns>
    /// <exception cref="ArgumentException"><paramref name="responseId"/> is empty or whitespace.</exception>
    /// <exception cref="QwenApiException">The service refused, or there is no such stored response.</exception>
    public async Task<bool> DeleteStoredResponseAsync(string responseId, CancellationToken cancellationToken = default)
    {
        var request = new OutgoingRequest(HttpMethod.Delete, ResponseUri(responseId), ReadOnlyMemory<byte>.Empty);
        using var answer = await _sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = answer.Body.WrittenSpan;
        if (bytes.IsEmpty)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(answer.Body.WrittenMemory);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(ResponsesFields.Deleted, out var deleted) && deleted.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return deleted.GetBoolean();
            }

            if (ResponsesOutputMapper.GetString(root, ResponsesFields.Code) is { Length: > 0 } code)
            {
                throw QwenErrors.FromNativeError(code, ResponsesOutputMapper.GetString(root, ResponsesFields.Message), answer.StatusCode, answer.RequestId ?? ResponsesOutputMapper.GetString(root, ResponsesFields.RequestId), _sender.ApiKey);
            }

            throw new JsonException($"The answer has no '{ResponsesFields.Deleted}'.");
        }
        catch (JsonException ex)
        {
            throw QwenErrors.Malformed("response body", ex, answer.StatusCode, answer.RequestId, _sender.ApiKey);
        }
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
    public override string ToString() => $"QwenResponsesChatClient({_sender.Endpoint}, model: {_defaultModelId ?? "(per request)"})";

    /// <summary>
    /// The body check run inside the retry loop: a 2xx body with <c>status:"failed"</c> is an error (a rate limit reported this way
    /// is retried, see <see cref="RetryPolicy.IsRateLimitMessage"/>). A body that is not JSON is left to the parser to report.
    /// </summary>
    private static QwenApiException? CheckFailed(CompletionBody answer, string apiKey)
    {
        if (answer.Body.WrittenCount == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(answer.Body.WrittenMemory);
            return ResponsesOutputMapper.Failure(document.RootElement, answer.StatusCode, answer.RequestId, apiKey);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ChatResponse Parse(CompletionBody answer, bool includeReasoning, bool store, string apiKey)
    {
        var (body, status, requestId) = answer;
        if (body.WrittenCount == 0)
        {
            throw QwenErrors.EmptyBody(status, requestId);
        }

        try
        {
            var reader = new Utf8JsonReader(body.WrittenSpan);
            var root = JsonElement.ParseValue(ref reader);
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("The body is not a JSON object.");
            }

            if (!root.TryGetProperty(ResponsesFields.Output, out _) && ResponsesOutputMapper.GetString(root, ResponsesFields.Code) is { Length: > 0 } code)
            {
                // The flat error body {request_id, code, message} with a 2xx status.
                throw QwenErrors.FromNativeError(code, ResponsesOutputMapper.GetString(root, ResponsesFields.Message), status, requestId ?? ResponsesOutputMapper.GetString(root, ResponsesFields.RequestId), apiKey);
            }

            if (ResponsesOutputMapper.Failure(root, status, requestId, apiKey) is { } failure)
            {
                throw failure;
            }

            return ToChatResponse(root, includeReasoning, store, requestId);
        }
        catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
        {
            throw QwenErrors.Malformed("response body", ex, status, requestId, apiKey);
        }
    }

    /// <summary>A response object → <see cref="ChatResponse"/>: output items in order, one assistant message per message item (as MEAI's OpenAI Responses client groups them).</summary>
    private static ChatResponse ToChatResponse(JsonElement root, bool includeReasoning, bool store, string? requestId)
    {
        var id = ResponsesOutputMapper.GetString(root, ResponsesFields.Id);
        var storedByService = !(root.TryGetProperty(ResponsesFields.Store, out var stored) && stored.ValueKind == JsonValueKind.False);
        var createdAt = ResponsesOutputMapper.CreatedAt(root);
        var response = new ChatResponse
        {
            ResponseId = id,
            ConversationId = store && storedByService ? id : null,
            CreatedAt = createdAt,
            ModelId = ResponsesOutputMapper.GetString(root, ResponsesFields.Model) is { Length: > 0 } model ? model : null,
            RawRepresentation = root,
            Usage = ResponsesOutputMapper.ToUsage(root),
        };

        var messages = new List<ChatMessage>();
        ChatMessage? message = null;
        var citations = new List<CitationAnnotation>();
        var anyFunctionCalls = false;
        if (root.TryGetProperty(ResponsesFields.Output, out var output) && output.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in output.EnumerateArray())
            {
                message ??= new ChatMessage(ChatRole.Assistant, (string?)null) { CreatedAt = createdAt };
                var type = ResponsesOutputMapper.GetString(item, ResponsesFields.Type);
                if (type == ResponsesFields.ItemTypes.Message)
                {
                    var messageId = ResponsesOutputMapper.GetString(item, ResponsesFields.Id);
                    if (message.MessageId is not null && message.MessageId != messageId)
                    {
                        messages.Add(message);
                        message = new ChatMessage(ChatRole.Assistant, (string?)null) { CreatedAt = createdAt };
                    }

                    message.MessageId = messageId;
                    message.RawRepresentation = item;
                }

                anyFunctionCalls |= type == ResponsesFields.ItemTypes.FunctionCall;
                ResponsesOutputMapper.AddItem(item, message.Contents, citations, includeReasoning);
            }
        }

        if (message is not null)
        {
            messages.Add(message);
        }

        response.Messages = messages;
        var status = ResponsesOutputMapper.GetString(root, ResponsesFields.Status);
        response.FinishReason = status is ResponsesFields.Statuses.Completed or ResponsesFields.Statuses.Incomplete || (status is null && messages.Count > 0)
            ? ResponsesOutputMapper.FinishReason(status, root, anyFunctionCalls)
            : null;
        if (requestId is not null)
        {
            (response.AdditionalProperties ??= new())[QwenPropertyNames.RequestId] = requestId;
        }

        return response;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        StrongBox<PooledBufferWriter?> first, Func<PooledBufferWriter> rebuild, ResponsesRequestWriter.Plan plan, bool includeReasoning, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Each enumeration sends a new request, as MEAI's clients do: the first with the body built at the call, later ones with a new one.
        var body = Interlocked.Exchange(ref first.Value, null) ?? rebuild();
        var header = Header(plan);
        var updates = ResponsesStreamReader.ReadAsync(
            ct => _sender.SendStreamingAsync(new OutgoingRequest(HttpMethod.Post, _sender.RequestUri, body.WrittenMemory, header), ct),
            includeReasoning,
            plan.Store,
            body,
            cancellationToken);
        await foreach (var update in updates.ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private static KeyValuePair<string, string>? Header(ResponsesRequestWriter.Plan plan) =>
        plan.SessionCache is { } value ? new KeyValuePair<string, string>(ResponsesParameters.SessionCacheHeader, value) : null;

    private Uri ResponseUri(string responseId)
    {
        Throw.IfNull(responseId);
        if (string.IsNullOrWhiteSpace(responseId))
        {
            throw new ArgumentException("responseId is empty or whitespace; pass the id of a stored response (ChatResponse.ResponseId).", nameof(responseId));
        }

        return new Uri(_sender.RequestUri.AbsoluteUri + "/" + Uri.EscapeDataString(responseId));
    }

    private static PooledBufferWriter BuildBody(IList<ChatMessage> history, ChatOptions? options, string model, bool stream, ResponsesRequestWriter.Plan plan)
    {
        var body = new PooledBufferWriter();
        try
        {
            ResponsesRequestWriter.Write(body, history, options, model, stream, plan);
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }
}
