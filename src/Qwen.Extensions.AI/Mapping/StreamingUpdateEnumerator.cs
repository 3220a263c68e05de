using System.Net.ServerSentEvents;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// The update sequence, written by hand rather than as an <c>async</c> iterator: when the parser has the next event ready
/// (the connection already buffered it), <see cref="MoveNextAsync"/> completes synchronously without an iterator state
/// machine of its own, so a chunk costs the parser's enumeration plus parsing, not two more layers of async plumbing.
/// One enumeration per instance: the request body is released when it ends (<see cref="StreamingResponse"/> makes one per enumeration).
/// </summary>
internal sealed class StreamingUpdateEnumerator : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
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

    public StreamingUpdateEnumerator(StreamingResponseReader reader, Stream? stream, Func<CancellationToken, Task<ResponseEventStream>>? send, IDisposable? body, CancellationToken cancellationToken)
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
            throw new InvalidOperationException("This update reader can be enumerated once.");
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

            if (_reader.IsDone && _answer is not null)
            {
                // After [DONE], read the rest (the chunked terminator, often a moment later) so the connection is reused.
                await _answer.DrainAsync().ConfigureAwait(false);
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
            if (!_reader.IsDone)
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
            if (_reader.IsDone)
            {
                _state = Trailing;
            }

            return true;
        }

        if (_reader.IsDone)
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
            _reader.RequestId = _answer.RequestId;
            _reader.Status = _answer.StatusCode;
            _reader.ApiKey = _answer.ApiKey;
            _stream = _answer;
        }

        // The BCL parser has no limit on a line or an event: the wrapper stops a stream whose event outgrows the cap.
        var limited = _stream as ResponseEventStream ?? ResponseEventStream.LimitEvents(_stream!, _reader.MaxEventBytes, _reader.Status, _reader.RequestId);
        _events = SseParser.Create(limited, _reader.Parse).EnumerateAsync(_cancellationToken).GetAsyncEnumerator(_cancellationToken);
        return await MoveNextAsync().ConfigureAwait(false);
    }
}
