using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Http;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Reads a compatible-mode SSE stream into <see cref="ChatResponseUpdate"/>s. Each event is parsed inside the
/// <see cref="SseParser"/> callback straight from the parser's buffer (no per-event copy) into one reused frame.
/// Text and reasoning are yielded as they arrive; tool calls once complete (at <c>finish_reason</c>, or at the end);
/// usage exactly once, after <c>[DONE]</c>, so aggregation never double counts. A stream without <c>[DONE]</c> is an error.
/// </summary>
internal sealed class StreamingResponseReader
{
    private readonly ChatCompletionFrame _frame = new();
    private readonly bool _includeReasoning;
    private readonly int _maxEventBytes;
    private HttpStatusCode _status;
    private string? _requestId;
    private ToolCallAccumulator? _toolCalls;
    private UsageFrame? _usage;
    private bool _done;
    private bool _requestIdSent;
    private long? _createdSeconds;
    private DateTimeOffset? _createdAt;

    public StreamingResponseReader(string? requestId, bool includeReasoning, HttpStatusCode status, int maxEventBytes = ResponseEventStream.DefaultMaxEventBytes)
    {
        _requestId = requestId;
        _includeReasoning = includeReasoning;
        _status = status;
        _maxEventBytes = maxEventBytes;
    }

    /// <summary>Sends with <paramref name="send"/> when enumeration starts, then reads the answer; disposes the answer and <paramref name="body"/> at the end.</summary>
    public static IAsyncEnumerable<ChatResponseUpdate> SendAndReadAsync(
        Func<CancellationToken, Task<ResponseEventStream>> send, IDisposable body, bool includeReasoning, CancellationToken cancellationToken) =>
        new Updates(new StreamingResponseReader(null, includeReasoning, HttpStatusCode.OK), null, send, body, cancellationToken);

    /// <summary>Reads an already open event stream.</summary>
    public IAsyncEnumerable<ChatResponseUpdate> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        new Updates(this, stream, null, null, cancellationToken);

    private QwenApiException MalformedEvent(Exception ex) => QwenErrors.Malformed("stream event", ex, _status, _requestId);

    private QwenApiException StreamEndedEarly() => QwenErrors.StreamEndedBeforeDone(_status, _requestId);

    /// <summary>After the events: pending tool calls, then usage (once); false when nothing is left.</summary>
    private ChatResponseUpdate? NextTrailingUpdate()
    {
        if (_toolCalls is { HasPending: true })
        {
            var contents = new List<AIContent>();
            _toolCalls.Flush(contents);
            return NewUpdate(contents, null);
        }

        if (_usage is { } usage)
        {
            _usage = null;
            return NewUpdate([new UsageContent(UsageMapper.ToUsageDetails(usage))], null);
        }

        return null;
    }

    /// <summary>
    /// The update sequence, written by hand rather than as an <c>async</c> iterator: when the parser has the next event ready
    /// (the connection already buffered it), <see cref="MoveNextAsync"/> completes synchronously without an iterator state
    /// machine of its own, so a chunk costs the parser's enumeration plus parsing, not two more layers of async plumbing.
    /// One enumeration per instance: the request body is released when it ends.
    /// </summary>
    private sealed class Updates : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
    {
        private const int NotStarted = 0;
        private const int Reading = 1;
        private const int Trailing = 2;
        private const int Finished = 3;

        private readonly StreamingResponseReader _reader;
        private readonly Func<CancellationToken, Task<ResponseEventStream>>? _send;
        private Stream? _stream;
        private IDisposable? _body;
        private ResponseEventStream? _answer;
        private IAsyncEnumerator<SseItem<ChatResponseUpdate?>>? _events;
        private CancellationTokenSource? _linked;
        private CancellationToken _cancellationToken;
        private int _state;
        private bool _enumerated;

        public Updates(StreamingResponseReader reader, Stream? stream, Func<CancellationToken, Task<ResponseEventStream>>? send, IDisposable? body, CancellationToken cancellationToken)
        {
            _reader = reader;
            _stream = stream;
            _send = send;
            _body = body;
            _cancellationToken = cancellationToken;
        }

        public ChatResponseUpdate Current { get; private set; } = null!;

        public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            if (_enumerated)
            {
                throw new InvalidOperationException("A streaming response can be enumerated once; call GetStreamingResponseAsync again to send another request.");
            }

            _enumerated = true;
            if (cancellationToken.CanBeCanceled && cancellationToken != _cancellationToken)
            {
                if (_cancellationToken.CanBeCanceled)
                {
                    _linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
                    _cancellationToken = _linked.Token;
                }
                else
                {
                    _cancellationToken = cancellationToken;
                }
            }

            return this;
        }

        public ValueTask<bool> MoveNextAsync()
        {
            try
            {
                return MoveNextCore();
            }
            catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
            {
                // The reader wraps what it parses; this also covers what the mappers compute from it (dates, base64, ...).
                throw _reader.MalformedEvent(ex);
            }
        }

        private ValueTask<bool> MoveNextCore()
        {
            switch (_state)
            {
                case Reading:
                    while (true)
                    {
                        var next = _events!.MoveNextAsync();
                        if (!next.IsCompletedSuccessfully)
                        {
                            return AwaitEventAsync(next);
                        }

                        if (Take(next.Result) is { } result)
                        {
                            return new ValueTask<bool>(result);
                        }
                    }

                case Trailing:
                    return new ValueTask<bool>(MoveTrailing());
                case Finished:
                    return new ValueTask<bool>(false);
                default:
                    return StartAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _state = Finished;
            var events = _events;
            _events = null;
            try
            {
                if (events is not null)
                {
                    await events.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _answer?.Dispose();
                _answer = null;
                _body?.Dispose();
                _body = null;
                _linked?.Dispose();
                _linked = null;
            }
        }

        /// <summary>Handles one step of the parser: true/false to return, null to read on (an event that produced no update).</summary>
        private bool? Take(bool moved)
        {
            if (!moved)
            {
                if (!_reader._done)
                {
                    throw _reader.StreamEndedEarly();
                }

                _state = Trailing;
                return MoveTrailing();
            }

            _cancellationToken.ThrowIfCancellationRequested();
            if (_events!.Current.Data is { } update)
            {
                Current = update;
                if (_reader._done)
                {
                    _state = Trailing;
                }

                return true;
            }

            if (_reader._done)
            {
                _state = Trailing;
                return MoveTrailing();
            }

            return null;
        }

        private bool MoveTrailing()
        {
            if (_reader.NextTrailingUpdate() is { } update)
            {
                Current = update;
                return true;
            }

            _state = Finished;
            return false;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> AwaitEventAsync(ValueTask<bool> next)
        {
            try
            {
                while (true)
                {
                    if (Take(await next.ConfigureAwait(false)) is { } result)
                    {
                        return result;
                    }

                    next = _events!.MoveNextAsync();
                }
            }
            catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
            {
                throw _reader.MalformedEvent(ex);
            }
        }

        private async ValueTask<bool> StartAsync()
        {
            _state = Reading;
            if (_send is not null)
            {
                _answer = await _send(_cancellationToken).ConfigureAwait(false);
                _reader._requestId = _answer.RequestId;
                _reader._status = _answer.StatusCode;
                _stream = _answer;
            }

            // The BCL parser has no limit on a line or an event: the wrapper stops a stream whose event outgrows the cap.
            var limited = _stream as ResponseEventStream ?? ResponseEventStream.LimitEvents(_stream!, _reader._maxEventBytes, _reader._status, _reader._requestId);
            _events = SseParser.Create(limited, _reader.Parse).EnumerateAsync(_cancellationToken).GetAsyncEnumerator(_cancellationToken);
            return await MoveNextAsync().ConfigureAwait(false);
        }
    }

    private ChatResponseUpdate? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            _done = true;
            return null;
        }

        if (data.IsEmpty || _done)
        {
            return null;
        }

        var frame = _frame;
        frame.Reset();
        try
        {
            CompletionJsonReader.Read(data, frame);
        }
        catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
        {
            throw QwenErrors.Malformed("stream event", ex, _status, _requestId);
        }

        _requestId ??= frame.RequestId;
        if (frame.Error is not null || eventType == "error" || (frame.NativeCode is { Length: > 0 } && !frame.HasChoices))
        {
            frame.Error ??= new ErrorDetail { Message = frame.NativeMessage ?? "The stream reported an error.", Code = frame.NativeCode };

            // The HTTP exchange succeeded (200); the error came inside the stream, so there is no HTTP status to report.
            QwenErrors.ThrowIfError(frame, _requestId, status: null);
        }

        if (frame.Usage is not null)
        {
            _usage = frame.Usage;
        }

        if (frame.ChoiceCount == 0)
        {
            return null;
        }

        var choice = frame.GetChoice(0);
        List<AIContent>? contents = null;
        if (_includeReasoning && !string.IsNullOrEmpty(choice.ReasoningContent))
        {
            (contents = new List<AIContent>(1)).Add(new TextReasoningContent(choice.ReasoningContent));
        }

        if (!string.IsNullOrEmpty(choice.Content))
        {
            (contents ??= new List<AIContent>(1)).Add(new TextContent(choice.Content));
        }

        if (choice.AudioData is not null || choice.AudioTranscript is not null)
        {
            AudioMapper.Add(contents ??= new List<AIContent>(1), choice);
        }

        var toolCalls = choice.ToolCalls;
        if (toolCalls.Count > 0)
        {
            _toolCalls ??= new ToolCallAccumulator();
            foreach (var fragment in toolCalls)
            {
                _toolCalls.Add(fragment);
            }
        }

        var finishReason = FinishReasonMapper.ToFinishReason(choice.FinishReason);
        if (finishReason is not null && _toolCalls is { HasPending: true })
        {
            _toolCalls.Flush(contents ??= new List<AIContent>(2));
        }

        if (contents is null && finishReason is null)
        {
            return null;
        }

        if (frame.Created != _createdSeconds)
        {
            _createdSeconds = frame.Created;
            _createdAt = frame.Created is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : null;
        }

        var update = NewUpdate(contents ?? [], finishReason);
        if (choice.Logprobs is { } logprobs)
        {
            // As on the non-streaming path; MEAI's aggregation carries update properties over to the message.
            (update.AdditionalProperties ??= new())["logprobs"] = logprobs;
        }

        return update;
    }

    private ChatResponseUpdate NewUpdate(IList<AIContent> contents, ChatFinishReason? finishReason)
    {
        var update = new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = _frame.Id,
            MessageId = _frame.Id,
            ModelId = _frame.Model,
            CreatedAt = _createdAt,
            FinishReason = finishReason,
        };

        if (!_requestIdSent && _requestId is not null)
        {
            _requestIdSent = true;
            update.AdditionalProperties = new() { [QwenPropertyNames.RequestId] = _requestId };
        }

        return update;
    }
}
