namespace Qwen.Extensions.AI.Emulator;

/// <summary>
/// One scripted answer for <see cref="QwenEmulator.Enqueue(EmulatorReply[])"/>: a message (text, reasoning, tool calls, usage),
/// an error, raw bytes or raw SSE events, plus optional faults. Build one with the static factories and adjust it with <c>with</c>.
/// </summary>
/// <remarks>
/// A message reply is sent as a <c>chat.completion</c> JSON body or, when the request streams, as DashScope-style
/// <c>chat.completion.chunk</c> events ending in <c>data: [DONE]</c>. Fault properties apply to any kind of reply.
/// </remarks>
public sealed record EmulatorReply
{
    /// <summary>Gets a value indicating whether this reply uses the emulator's default behaviour (validation and a prompt-derived answer); only its faults are scripted.</summary>
    public bool UseDefaultBehaviour { get; init; }

    /// <summary>Gets the assistant's <c>content</c>.</summary>
    public string? Content { get; init; }

    /// <summary>Gets the assistant's <c>reasoning_content</c>.</summary>
    public string? ReasoningContent { get; init; }

    /// <summary>Gets the tool calls of the assistant message.</summary>
    public IReadOnlyList<EmulatorToolCall> ToolCalls { get; init; } = [];

    /// <summary>Gets the <c>finish_reason</c>; <see langword="null"/> means <c>tool_calls</c> when there are tool calls, else <c>stop</c>.</summary>
    public string? FinishReason { get; init; }

    /// <summary>Gets explicit token counts; <see langword="null"/> computes them.</summary>
    public EmulatorUsage? Usage { get; init; }

    /// <summary>Gets the <c>model</c> echoed in the reply; <see langword="null"/> echoes the request's model.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the HTTP status code. Defaults to 200.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Gets the error body to send (with <see cref="StatusCode"/>) instead of a message.</summary>
    public EmulatorError? Error { get; init; }

    /// <summary>Gets a <c>Retry-After</c> header value (sent in whole seconds, rounded up).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a <c>retry-after-ms</c> header value in milliseconds.</summary>
    public int? RetryAfterMilliseconds { get; init; }

    /// <summary>Gets extra response headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Gets a raw body sent verbatim (with <see cref="ContentType"/> and <see cref="StatusCode"/>) instead of a message.</summary>
    public ReadOnlyMemory<byte>? RawBody { get; init; }

    /// <summary>Gets the content type of <see cref="RawBody"/>. Defaults to <c>application/json</c>.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Gets raw SSE <c>data:</c> payloads sent verbatim as a <c>text/event-stream</c> (include <c>[DONE]</c> yourself if you want it).</summary>
    public IReadOnlyList<string>? SseEvents { get; init; }

    /// <summary>Gets a pause before the response headers are sent.</summary>
    public TimeSpan DelayBeforeHeaders { get; init; }

    /// <summary>
    /// Gets a pause between streamed events; <see langword="null"/> uses <see cref="QwenEmulatorOptions.DelayBetweenEvents"/>.
    /// For a non-streaming reply cut by <see cref="CutAfterEvents"/>, the pause between the first half of the body and the cut.
    /// </summary>
    public TimeSpan? DelayBetweenEvents { get; init; }

    /// <summary>
    /// Gets the number of events after which the connection is cut (no <c>[DONE]</c>). 0 cuts it before any response byte;
    /// for a non-streaming reply any positive value sends the headers and half the body, then cuts.
    /// </summary>
    public int? CutAfterEvents { get; init; }

    /// <summary>Gets the number of events after which one malformed JSON event (<c>data: {"choices":[{"delta":</c>) is inserted.</summary>
    public int? MalformedEventAfter { get; init; }

    /// <summary>Gets the number of events after which an error event <c>data: {"error":{...}}</c> (<see cref="ErrorEvent"/>) ends the stream.</summary>
    public int? ErrorEventAfter { get; init; }

    /// <summary>Gets the error sent by <see cref="ErrorEventAfter"/>. Defaults to a 500-style <c>internal_error</c>.</summary>
    public EmulatorError? ErrorEvent { get; init; }

    /// <summary>A reply produced by the default behaviour, to which faults can be added with <c>with</c>.</summary>
    /// <returns>The reply.</returns>
    public static EmulatorReply Default() => new() { UseDefaultBehaviour = true };

    /// <summary>A text answer.</summary>
    /// <param name="content">The answer.</param>
    /// <param name="reasoning">Optional <c>reasoning_content</c> sent before it.</param>
    /// <returns>The reply.</returns>
    public static EmulatorReply Text(string content, string? reasoning = null) => new() { Content = content, ReasoningContent = reasoning };

    /// <summary>An answer with one or more tool calls.</summary>
    /// <param name="calls">The calls, in order.</param>
    /// <returns>The reply.</returns>
    public static EmulatorReply ToolCall(params EmulatorToolCall[] calls) => new() { ToolCalls = calls };

    /// <summary>An answer with one tool call.</summary>
    /// <param name="name">The function name.</param>
    /// <param name="argumentsJson">The arguments as JSON text.</param>
    /// <param name="id">The call id, or <see langword="null"/> for a generated one.</param>
    /// <returns>The reply.</returns>
    public static EmulatorReply ToolCall(string name, string argumentsJson, string? id = null) => new() { ToolCalls = [new EmulatorToolCall(name, argumentsJson, id)] };

    /// <summary>An HTTP error with the real DashScope error body.</summary>
    /// <param name="statusCode">The HTTP status, for example 429.</param>
    /// <param name="code">The error code, for example <c>limit_requests</c>.</param>
    /// <param name="message">The message.</param>
    /// <param name="type">The error type.</param>
    /// <returns>The reply.</returns>
    public static EmulatorReply Fail(int statusCode, string code, string message, string type = "invalid_request_error") =>
        new() { StatusCode = statusCode, Error = new EmulatorError(code, message, type) };

    /// <summary>A raw body sent verbatim.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="body">The body text (UTF-8).</param>
    /// <param name="contentType">The content type.</param>
    /// <returns>The reply.</returns>
    public static EmulatorReply Raw(int statusCode, string body, string contentType = "application/json") =>
        new() { StatusCode = statusCode, RawBody = Encoding.UTF8.GetBytes(body), ContentType = contentType };

    /// <summary>Raw SSE events, each sent as <c>data: {payload}</c> followed by a blank line.</summary>
    /// <param name="dataPayloads">The payloads, for example JSON chunks and a final <c>[DONE]</c>.</param>
    /// <returns>The reply.</returns>
    public static EmulatorReply Sse(params string[] dataPayloads) => new() { SseEvents = dataPayloads };

    /// <summary>A reply whose connection is cut before any response byte (a network failure before the first byte).</summary>
    /// <returns>The reply.</returns>
    public static EmulatorReply Disconnect() => new() { UseDefaultBehaviour = true, CutAfterEvents = 0 };
}
