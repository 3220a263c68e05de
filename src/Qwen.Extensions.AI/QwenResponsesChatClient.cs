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

        _sender = new QwenHttpSender(options, apiKey, httpClient, "responses", typeof(QwenResponsesChatClient).FullName!);
        _defaultModelId = options.DefaultModelId;
        _metadata = new ChatClientMetadata(ProviderName, _sender.Endpoint, _defaultModelId);
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Retrieves a stored response by id (<c>GET {endpoint}/responses/{id}</c>).</summary>
    /// <param name="responseId">The response id, as in <see cref="ChatResponse.ResponseId"/> or <see cref="ChatResponse.ConversationId"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The stored response, mapped as <see cref="GetResponseAsync"/> maps a fresh one.</returns>
    /// <exception cref="QwenApiException">The service refused or the response is not stored (not found).</exception>
    public Task<ChatResponse> GetStoredResponseAsync(string responseId, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Deletes a stored response by id (<c>DELETE {endpoint}/responses/{id}</c>).</summary>
    /// <param name="responseId">The response id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>Whether the service reported it deleted.</returns>
    /// <exception cref="QwenApiException">The service refused.</exception>
    public Task<bool> DeleteStoredResponseAsync(string responseId, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

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
}
