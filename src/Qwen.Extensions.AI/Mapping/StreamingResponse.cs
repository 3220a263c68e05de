namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// The sequence <see cref="QwenChatClient.GetStreamingResponseAsync"/> returns. Like MEAI's own clients, each enumeration sends
/// a new request and reads its own answer. The body built (and so validated) at the call serves the first enumeration and goes
/// back to the pool when that enumeration ends; each later enumeration builds its own body from the same messages and options.
/// </summary>
internal sealed class StreamingResponse : IAsyncEnumerable<ChatResponseUpdate>
{
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, Task<ResponseEventStream>> _send;
    private readonly Func<PooledBufferWriter> _rebuild;
    private readonly bool _includeReasoning;
    private readonly bool _keepRawEvents;
    private readonly CancellationToken _cancellationToken;
    private PooledBufferWriter? _firstBody;

    public StreamingResponse(
        PooledBufferWriter body, Func<PooledBufferWriter> rebuild, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ResponseEventStream>> send, bool includeReasoning, bool keepRawEvents, CancellationToken cancellationToken)
    {
        _firstBody = body;
        _rebuild = rebuild;
        _send = send;
        _includeReasoning = includeReasoning;
        _keepRawEvents = keepRawEvents;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Gets the recovery of tool calls leaked into the reasoning (shared: it holds only the offered tools), or null.</summary>
    internal LeakedToolCallRecovery? Recovery { get; init; }

    public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        // Whoever enumerates first takes the body built at the call; anyone else (later, or at the same time) builds a fresh one.
        var body = Interlocked.Exchange(ref _firstBody, null) ?? _rebuild();
        var send = _send;
        var enumerator = new StreamingUpdateEnumerator(
            new StreamingResponseReader(null, _includeReasoning, HttpStatusCode.OK) { KeepRawEvents = _keepRawEvents, Recovery = Recovery }, null, ct => send(body.WrittenMemory, ct), body, _cancellationToken);
        return enumerator.GetAsyncEnumerator(cancellationToken);
    }
}
