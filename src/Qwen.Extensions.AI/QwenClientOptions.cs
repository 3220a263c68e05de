using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI;

/// <summary>Settings for a <see cref="QwenChatClient"/>.</summary>
/// <remarks>
/// The client copies these values when it is constructed; changing them afterwards has no effect on that client.
/// What is retried is stated on <see cref="MaxRetries"/>, how long it waits on <see cref="RetryBaseDelay"/>, and each timeout on
/// its own property; docs/reliability.md has the whole policy and what each failure surfaces as.
/// </remarks>
public sealed class QwenClientOptions
{
    /// <summary>The environment variable read when <see cref="ApiKey"/> is not set.</summary>
    public const string ApiKeyEnvironmentVariable = "DASHSCOPE_API_KEY";

    /// <summary>The largest value <see cref="MaxRetries"/> accepts.</summary>
    public const int MaxRetriesLimit = 10;

    /// <summary>The default of <see cref="MaxResponseBodyBytes"/>: 32 MiB.</summary>
    public const int DefaultMaxResponseBodyBytes = 32 * 1024 * 1024;

    /// <summary>Gets or sets the DashScope API key. When <see langword="null"/>, the <c>DASHSCOPE_API_KEY</c> environment variable is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the compatible-mode base URL, for example <see cref="QwenEndpoints.Singapore"/> (the default) or a workspace host ending in <c>/compatible-mode/v1</c>.</summary>
    public Uri Endpoint { get; set; } = QwenEndpoints.Singapore;

    /// <summary>Gets or sets the model used when <c>ChatOptions.ModelId</c> is not set, for example <c>qwen-plus</c>.</summary>
    public string? DefaultModelId { get; set; }

    /// <summary>Gets or sets a value indicating whether the API key may be sent over plain <c>http://</c> to a host that is not loopback. Off by default.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Gets or sets how many times a failed request is retried (0 to <see cref="MaxRetriesLimit"/>; default 2). Set 0 to turn
    /// retries off, for example when the <see cref="HttpClient"/> already has a resilience handler.
    /// </summary>
    /// <remarks>
    /// Retried: 408, 429 (rate limits, including <c>insufficient_quota</c>, DashScope's tokens-per-minute throttle), 500, 502, 503,
    /// 504, and connection failures before any response. Never retried: other statuses (400, 401, 403, 404, ...), account states
    /// whatever their status (<c>Arrearage</c>, <c>AllocationQuota.FreeTierOnly</c>, overdue bills, <c>QuotaExhausted</c>, ...),
    /// timeouts, and anything after the service has answered 200 (so a stream that has started is never repeated).
    /// </remarks>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// Gets or sets the first retry delay (0 to 60 s; default 0.5 s). Each further retry doubles it, capped at 8 s, less up to 25 %
    /// random jitter. A <c>retry-after-ms</c> or <c>Retry-After</c> hint of up to 60 s from the service is waited instead;
    /// a longer hint is not waited out: the error surfaces with the hint in <see cref="QwenApiException.RetryAfter"/>.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets or sets the time one non-streaming attempt may take, from sending to the last byte of the answer (default 330 s, above the
    /// service's own 300-s cut; <see cref="Timeout.InfiniteTimeSpan"/> turns it off). When it fires, a <see cref="TimeoutException"/> names it.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(330);

    /// <summary>
    /// Gets or sets the time a streaming call may wait for the response headers (default 100 s; <see cref="Timeout.InfiniteTimeSpan"/>
    /// turns it off). When it fires, a <see cref="TimeoutException"/> names it.
    /// </summary>
    public TimeSpan StreamingHeadersTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Gets or sets the longest silence allowed between two pieces of a stream (default 100 s; <see cref="Timeout.InfiniteTimeSpan"/>
    /// turns it off). Thinking models can pause before answering; raise it if yours do for longer. When it fires, a
    /// <see cref="TimeoutException"/> names it.
    /// </summary>
    public TimeSpan StreamingIdleTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Gets or sets a value indicating whether each streamed <see cref="Microsoft.Extensions.AI.ChatResponseUpdate"/> carries its
    /// SSE event as a <see cref="System.Text.Json.JsonElement"/> in <c>RawRepresentation</c> (default <see langword="false"/>).
    /// Off by default because the copy costs about as much as the rest of a text chunk; non-streaming responses always carry
    /// their whole body there.
    /// </summary>
    public bool StreamingRawRepresentation { get; set; }

    /// <summary>
    /// Gets or sets the longest one streamed answer may take, from its response headers to its last byte (default 30 minutes;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off). Keep-alive comments and empty heartbeats do not extend it, so a stream
    /// that never ends is still bounded. When it fires, a <see cref="TimeoutException"/> names it.
    /// </summary>
    public TimeSpan StreamingResponseTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Gets or sets the largest non-streaming answer body the client reads, in bytes, counted after decompression (default 32 MiB,
    /// far above any real answer). A larger body fails with a <see cref="QwenApiException"/> while it is being read; error bodies are
    /// read up to 64 KiB (or this value, if smaller). A streamed answer is not capped as a whole (each event is, at 16 MiB);
    /// <see cref="StreamingResponseTimeout"/> bounds it instead.
    /// </summary>
    public int MaxResponseBodyBytes { get; set; } = DefaultMaxResponseBodyBytes;

    /// <summary>
    /// Gets the model facts you add or override, by model id or pattern (<c>*</c> matches any run of characters, e.g.
    /// <c>qwen3.9-*</c>): what each model does that the client must know before sending (see <see cref="QwenModelCapabilities"/>).
    /// </summary>
    /// <remarks>
    /// An entry here replaces the built-in facts for every id it matches (combine with <see cref="GetModelCapabilities(string)"/>
    /// to extend them: <c>options.ModelCapabilities["qwen3.9-max"] = options.GetModelCapabilities("qwen3.8-max");</c>). Ids are
    /// compared without regard to case; an exact id wins over patterns and a longer pattern over a shorter one. The table of
    /// built-in facts is in the README ("Model facts"); an unknown model resolves to <see cref="QwenModelCapabilities.None"/>.
    /// </remarks>
    public IDictionary<string, QwenModelCapabilities> ModelCapabilities { get; } = new Dictionary<string, QwenModelCapabilities>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns what a model id resolves to: the entries of <see cref="ModelCapabilities"/>, else the built-in table, else <see cref="QwenModelCapabilities.None"/>.</summary>
    /// <param name="modelId">A model id such as <c>qwen3.8-max</c>, <c>qwen-plus-2025-07-28</c> or <c>qwen-plus-us</c>.</param>
    /// <returns>The model's capabilities.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is null or empty, or an entry of <see cref="ModelCapabilities"/> has an empty key.</exception>
    public QwenModelCapabilities GetModelCapabilities(string modelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        return new ModelFacts(ModelCapabilities).Get(modelId);
    }

    /// <summary>
    /// Gets or sets whether the client places explicit context-cache markers itself (default <see cref="QwenContextCachePolicy.None"/>).
    /// <see cref="QwenContextCachePolicy.Auto"/> marks the system prompt, the last user turn and the latest tool-call boundaries, for
    /// models whose facts include <see cref="QwenModelCapabilities.ExplicitCache"/>; <c>ChatOptions.AdditionalProperties["contextCache"]</c>
    /// (<see cref="QwenPropertyNames.ContextCache"/>) overrides it per request. Your own markers are sent either way (README, "Context cache").
    /// </summary>
    public QwenContextCachePolicy ContextCache { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether tool calls that the model wrote inside its reasoning are recovered (default
    /// <see langword="false"/>). Qwen 3.5/3.6 sometimes write a call as text in <c>reasoning_content</c> (<c>&lt;tool_call&gt;{"name": ...}&lt;/tool_call&gt;</c>
    /// or <c>&lt;function=name&gt;&lt;parameter=x&gt;...</c>) and stop without calling, which ends a tool loop early.
    /// <c>ChatOptions.AdditionalProperties[QwenPropertyNames.RecoverToolCallsFromReasoning]</c> overrides it per request.
    /// </summary>
    /// <remarks>
    /// A call is recovered only when tools were offered, no real tool call came, and every call written in the reasoning parses
    /// completely and names an offered tool; it becomes a <see cref="Microsoft.Extensions.AI.FunctionCallContent"/> (marked
    /// <c>AdditionalProperties["recoveredFromReasoning"] = true</c>) and the finish reason becomes <c>ToolCalls</c>, so
    /// <c>FunctionInvokingChatClient</c> runs it. The risk: reasoning is a draft, so a call the model considered and rejected,
    /// or a tool call quoted as an example, would be run. Turn it on only for tools that are safe to run on a draft.
    /// </remarks>
    public bool RecoverToolCallsFromReasoning { get; set; }

    /// <summary>Gets or sets the logger factory through which retries are logged (never with the key), or <see langword="null"/> for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the clock for retry delays, <c>Retry-After</c> dates and timeouts (default <see cref="TimeProvider.System"/>); tests can pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets the key to send: <see cref="ApiKey"/>, else the <c>DASHSCOPE_API_KEY</c> environment variable; <see langword="null"/> when both are empty.</summary>
    /// <remarks>The one place the key is resolved; the client, the DI package and the SK package all read it here.</remarks>
    internal string? ResolveApiKey()
    {
        var apiKey = string.IsNullOrWhiteSpace(ApiKey) ? Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable) : ApiKey;
        return string.IsNullOrWhiteSpace(apiKey) ? null : apiKey;
    }

    /// <summary>Resolves the key (<see cref="ResolveApiKey"/>) and checks it can travel in a header.</summary>
    /// <exception cref="InvalidOperationException">Neither <see cref="ApiKey"/> nor <c>DASHSCOPE_API_KEY</c> is set.</exception>
    /// <exception cref="ArgumentException">The key contains whitespace or a control character.</exception>
    internal string ResolveValidApiKey()
    {
        var apiKey = ResolveApiKey() ?? throw new InvalidOperationException(
            $"No DashScope API key: set QwenClientOptions.ApiKey or the {ApiKeyEnvironmentVariable} environment variable. " +
            "Keys are bound to a region; create one in the Model Studio console of the region of your endpoint.");
        foreach (var c in apiKey)
        {
            if (char.IsControl(c) || c == ' ')
            {
                throw new ArgumentException("The API key contains whitespace or a control character; check how it was copied (the key itself is not shown).", "options");
            }
        }

        return apiKey;
    }

    /// <summary>Checks <see cref="Endpoint"/>: absolute, http(s), and plain http only to loopback unless <see cref="AllowInsecureHttp"/>.</summary>
    /// <returns>The endpoint.</returns>
    /// <exception cref="ArgumentException">The endpoint is null, relative, not http(s), or plain http to a remote host.</exception>
    internal Uri ValidateEndpoint()
    {
        var endpoint = Endpoint;
        if (endpoint is null)
        {
            throw new ArgumentException($"QwenClientOptions.Endpoint is null; set an absolute https URL such as {QwenEndpoints.Singapore}.", "options");
        }

        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"QwenClientOptions.Endpoint must be an absolute URL such as {QwenEndpoints.Singapore}; got the relative '{endpoint}'.", "options");
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"QwenClientOptions.Endpoint must be an http(s) URL; got the scheme '{endpoint.Scheme}'.", "options");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback && !AllowInsecureHttp)
        {
            throw new ArgumentException(
                $"QwenClientOptions.Endpoint '{endpoint}' is plain http to a host that is not loopback, so the API key would travel unencrypted. " +
                "Use https, or set QwenClientOptions.AllowInsecureHttp = true if you really mean it.", "options");
        }

        return endpoint;
    }

    /// <summary>Returns a description of these options with the API key redacted.</summary>
    /// <returns>The endpoint, default model, retry and timeout settings, and whether a key is set.</returns>
    public override string ToString() =>
        $"QwenClientOptions {{ Endpoint = {Endpoint}, DefaultModelId = {DefaultModelId ?? "(none)"}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(from " + ApiKeyEnvironmentVariable + ")" : "***")}, " +
        $"MaxRetries = {MaxRetries}, RetryBaseDelay = {RetryBaseDelay}, RequestTimeout = {RequestTimeout}, StreamingHeadersTimeout = {StreamingHeadersTimeout}, StreamingIdleTimeout = {StreamingIdleTimeout}, " +
        $"StreamingResponseTimeout = {StreamingResponseTimeout}, MaxResponseBodyBytes = {MaxResponseBodyBytes} }}";
}
