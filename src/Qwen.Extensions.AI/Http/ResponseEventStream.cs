using System.Net;
using System.Runtime.CompilerServices;

namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The body of a 2xx streaming answer, guarded; the one guard on a response body. Three guards, one pass over the bytes:
/// <list type="bullet">
/// <item><description>Event size: one server-sent event that grows past a cap fails with a <see cref="QwenApiException"/>.
/// <see cref="System.Net.ServerSentEvents.SseParser"/> buffers a whole line (and a whole event's data) with no cap, so a server
/// that never sends a newline would otherwise grow that buffer until memory runs out. Bytes are only scanned (vectorized search
/// for line ends), never copied.</description></item>
/// <item><description>Idle timeout: a read that waits longer than <see cref="QwenClientOptions.StreamingIdleTimeout"/> becomes a
/// <see cref="TimeoutException"/> naming that option. The clock runs only while a read is waiting, so a slow consumer never trips
/// it; one timer per stream, armed only by reads that have to wait.</description></item>
/// <item><description>Cut connection: a connection that breaks mid-stream becomes a <see cref="QwenApiException"/> with the status
/// and request id.</description></item>
/// </list>
/// Disposing it releases the connection. <see cref="LimitEvents"/> wraps a body that is already open (no HTTP answer behind it)
/// with the event-size cap only.
/// </summary>
internal sealed class ResponseEventStream : Stream
{
    /// <summary>The default limit on one event: far above any real chunk (a base64 audio chunk is tens of KB), far below harm.</summary>
    public const int DefaultMaxEventBytes = 16 * 1024 * 1024;

    private readonly Stream _inner;
    private readonly HttpResponseMessage? _response;
    private readonly int _maxEventBytes;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource? _linked;
    private readonly ITimer? _timer;
    private readonly string? _apiKey;
    private long _eventBytes;
    private int _lineEnds;
    private bool _afterCarriageReturn;
    private volatile bool _timedOut;

    /// <summary>Guards the body of <paramref name="response"/>: event size, idle timeout and cut connection.</summary>
    public ResponseEventStream(
        HttpResponseMessage response, Stream body, string? requestId, TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken callerToken, string apiKey,
        int maxEventBytes = DefaultMaxEventBytes)
        : this(body, maxEventBytes, response.StatusCode, requestId)
    {
        _response = response;
        _idleTimeout = idleTimeout;
        _callerToken = callerToken;
        _apiKey = apiKey;
        if (idleTimeout != Timeout.InfiniteTimeSpan)
        {
            _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
            _timer = timeProvider.CreateTimer(static state => ((ResponseEventStream)state!).OnIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private ResponseEventStream(Stream inner, int maxEventBytes, HttpStatusCode status, string? requestId)
    {
        _inner = inner;
        _maxEventBytes = maxEventBytes;
        _idleTimeout = Timeout.InfiniteTimeSpan;
        StatusCode = status;
        RequestId = requestId;
    }

    public string? RequestId { get; }

    public HttpStatusCode StatusCode { get; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Wraps a body that is already open with the event-size cap only: errors from <paramref name="inner"/> pass through as they are.</summary>
    public static ResponseEventStream LimitEvents(Stream inner, int maxEventBytes, HttpStatusCode status, string? requestId) =>
        new(inner, maxEventBytes, status, requestId);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_response is null)
        {
            return ReadLimitedAsync(buffer, cancellationToken);
        }

        if (_timedOut)
        {
            throw IdleTimeout(null);
        }

        CancellationTokenSource? perRead = null;
        var token = cancellationToken;
        if (_linked is not null)
        {
            token = _linked.Token;
            if (cancellationToken.CanBeCanceled && cancellationToken != _callerToken)
            {
                perRead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _linked.Token);
                token = perRead.Token;
            }
        }

        ValueTask<int> pending;
        try
        {
            pending = _inner.ReadAsync(buffer, token);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            perRead?.Dispose();
            throw Translate(ex, cancellationToken);
        }

        if (pending.IsCompletedSuccessfully)
        {
            // Data already buffered by the connection waited for nothing: no idle timer (two timer-queue updates per event
            // saved), no state machine, no allocation.
            perRead?.Dispose();
            var read = pending.Result;
            Scan(buffer.Span[..read]);
            return new ValueTask<int>(read);
        }

        // Only a read that has to wait runs the idle clock; the timer can only cancel it through the linked token.
        _timer?.Change(_idleTimeout, Timeout.InfiniteTimeSpan);
        return AwaitReadAsync(pending, buffer, perRead, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_response is not null)
        {
            throw new NotSupportedException("The streamed answer is read asynchronously.");
        }

        var read = _inner.Read(buffer);
        Scan(buffer[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer?.Dispose();
            _linked?.Dispose();
            _inner.Dispose();
            _response?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsReadFailure(Exception ex) => ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException;

    private ValueTask<int> ReadLimitedAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var pending = _inner.ReadAsync(buffer, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            // Data already buffered: no state machine at all.
            var read = pending.Result;
            Scan(buffer.Span[..read]);
            return new ValueTask<int>(read);
        }

        return AwaitReadAsync(pending, buffer, null, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> pending, Memory<byte> buffer, CancellationTokenSource? perRead, CancellationToken cancellationToken)
    {
        int read;
        try
        {
            read = await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (_response is not null && IsReadFailure(ex))
        {
            throw Translate(ex, cancellationToken);
        }
        finally
        {
            Disarm(perRead);
        }

        // Outside the try: an event that is too large is reported as such, not as a broken connection.
        Scan(buffer.Span[..read]);
        return read;
    }

    /// <summary>The caller's cancellation stays an <see cref="OperationCanceledException"/>; the idle timer becomes a timeout; a broken connection a <see cref="QwenApiException"/>.</summary>
    private Exception Translate(Exception ex, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || _callerToken.IsCancellationRequested)
        {
            return ex as OperationCanceledException ?? new OperationCanceledException(ex.Message, ex, cancellationToken.IsCancellationRequested ? cancellationToken : _callerToken);
        }

        if (_timedOut)
        {
            return IdleTimeout(ex);
        }

        if (ex is OperationCanceledException)
        {
            return ex;
        }

        return QwenErrors.StreamCut(ex, StatusCode, RequestId, _apiKey);
    }

    private void Disarm(CancellationTokenSource? perRead)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        perRead?.Dispose();
    }

    private TimeoutException IdleTimeout(Exception? inner) =>
        QwenErrors.Timeout(nameof(QwenClientOptions.StreamingIdleTimeout), _idleTimeout, "stream went silent: no data arrived", RequestId, inner ?? new OperationCanceledException());

    private void OnIdle()
    {
        _timedOut = true;
        try
        {
            _linked?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream was already disposed.
        }
    }

    /// <summary>Counts the bytes of the current event; an empty line (two line ends in a row; CRLF counts as one) ends it.</summary>
    private void Scan(ReadOnlySpan<byte> span)
    {
        while (!span.IsEmpty)
        {
            var i = span.IndexOfAny((byte)'\r', (byte)'\n');
            if (i < 0)
            {
                Count(span.Length);
                return;
            }

            if (i > 0)
            {
                Count(i);
            }

            if (span[i] == (byte)'\n' && _afterCarriageReturn)
            {
                _afterCarriageReturn = false; // The LF of a CRLF: the same line end.
            }
            else
            {
                _afterCarriageReturn = span[i] == (byte)'\r';
                if (++_lineEnds >= 2)
                {
                    _eventBytes = 0;
                }
            }

            span = span[(i + 1)..];
        }
    }

    private void Count(int bytes)
    {
        _lineEnds = 0;
        _afterCarriageReturn = false;
        _eventBytes += bytes;
        if (_eventBytes > _maxEventBytes)
        {
            throw QwenErrors.EventTooLarge(_maxEventBytes, StatusCode, RequestId);
        }
    }
}
