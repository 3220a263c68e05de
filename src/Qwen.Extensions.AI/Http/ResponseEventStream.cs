namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The one guard on a response body. <see cref="ReadBodyAsync"/> reads a whole JSON or error body under a size cap and a per-read
/// deadline; an instance guards the body of a 2xx streaming answer. Its guards, in one pass over the bytes:
/// <list type="bullet">
/// <item><description>Event size: one server-sent event that grows past a cap fails with a <see cref="QwenApiException"/>.
/// <see cref="System.Net.ServerSentEvents.SseParser"/> buffers a whole line (and a whole event's data) with no cap, so a server
/// that never sends a newline would otherwise grow that buffer until memory runs out. Bytes are only scanned (vectorized search
/// for line ends), never copied.</description></item>
/// <item><description>Idle timeout: a read that waits longer than <see cref="QwenClientOptions.StreamingIdleTimeout"/> becomes a
/// <see cref="TimeoutException"/> naming that option. The clock runs only while a read is waiting, so a slow consumer never trips
/// it; one timer per stream, armed only by reads that have to wait.</description></item>
/// <item><description>Overall limit: <see cref="QwenClientOptions.StreamingResponseTimeout"/> bounds the whole answer, so a stream of
/// keep-alives or heartbeats that never ends still ends, as a <see cref="TimeoutException"/> naming that option.</description></item>
/// <item><description>Cut connection: a connection that breaks mid-stream (or a body that fails to decompress) becomes a
/// <see cref="QwenApiException"/> with the status and request id.</description></item>
/// <item><description>Disposal: disposing the client during a read ends it with an <see cref="ObjectDisposedException"/>.</description></item>
/// </list>
/// Disposing it releases the connection; <see cref="DrainAsync"/> first reads what is left after <c>[DONE]</c>, so the connection
/// goes back to the pool instead of being closed. <see cref="LimitEvents"/> wraps a body that is already open (no HTTP answer behind it)
/// with the event-size cap only.
/// </summary>
internal sealed class ResponseEventStream : Stream
{
    /// <summary>The default limit on one event: far above any real chunk (a base64 audio chunk is tens of KB), far below harm.</summary>
    public const int DefaultMaxEventBytes = 16 * 1024 * 1024;

    /// <summary>The most of an error body that is read; a gateway's HTML page needs no more.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>The most <see cref="DrainAsync"/> reads after <c>[DONE]</c> before it gives the connection up.</summary>
    public const int DrainMaxBytes = 64 * 1024;

    /// <summary>The longest <see cref="DrainAsync"/> waits (real time) for the end of the body after <c>[DONE]</c>.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromMilliseconds(500);

    private readonly Stream _inner;
    private readonly HttpResponseMessage? _response;
    private readonly int _maxEventBytes;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource? _linked;
    private readonly ITimer? _timer;
    private readonly TimeProvider? _timeProvider;
    private readonly long _started;
    private readonly TimeSpan _responseTimeout;
    private readonly CancellationToken _lifetimeToken;
    private readonly string? _apiKey;
    private long _eventBytes;
    private int _lineEnds;
    private bool _afterCarriageReturn;
    private volatile bool _timedOut;
    private volatile bool _overallTimedOut;
    private volatile bool _armedForOverall;

    /// <summary>Guards the body of <paramref name="response"/>: event size, idle and overall timeouts, cut connection, disposal.</summary>
    public ResponseEventStream(
        HttpResponseMessage response, Stream body, string? requestId, TimeSpan idleTimeout, TimeSpan responseTimeout, TimeProvider timeProvider,
        CancellationToken callerToken, CancellationToken lifetimeToken, string apiKey, int maxEventBytes = DefaultMaxEventBytes)
        : this(body, maxEventBytes, response.StatusCode, requestId)
    {
        _response = response;
        _idleTimeout = idleTimeout;
        _responseTimeout = responseTimeout;
        _callerToken = callerToken;
        _lifetimeToken = lifetimeToken;
        _apiKey = apiKey;
        _linked = lifetimeToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(callerToken, lifetimeToken)
            : CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        _timeProvider = timeProvider;
        _started = timeProvider.GetTimestamp();

        // One timer for both clocks, armed only by a read that has to wait: at the idle timeout or at what is left of the
        // overall one, whichever comes first. Reads that complete at once check the overall clock without a timer.
        if (idleTimeout != Timeout.InfiniteTimeSpan || responseTimeout != Timeout.InfiniteTimeSpan)
        {
            _timer = timeProvider.CreateTimer(static state => ((ResponseEventStream)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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

    /// <summary>Gets the API key, for the redaction of errors raised from this stream's events.</summary>
    public string? ApiKey => _apiKey;

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

        var remaining = RemainingResponseTime();
        if (_overallTimedOut || (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero))
        {
            throw OverallTimeout(null);
        }

        if (_timedOut)
        {
            throw IdleTimeout(null);
        }

        if (_lifetimeToken.IsCancellationRequested)
        {
            throw QwenErrors.Disposed(null);
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

        // Only a read that has to wait runs the clocks; the timer can only cancel it through the linked token.
        if (_timer is not null)
        {
            var overallFirst = remaining != Timeout.InfiniteTimeSpan && (_idleTimeout == Timeout.InfiniteTimeSpan || remaining <= _idleTimeout);
            _armedForOverall = overallFirst;
            _timer.Change(overallFirst ? remaining : _idleTimeout, Timeout.InfiniteTimeSpan);
        }
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

    /// <summary>
    /// After <c>data: [DONE]</c>: reads what is left of the body (the chunked terminator, usually already buffered), at most
    /// <see cref="DrainMaxBytes"/> and within <see cref="DrainTimeout"/>, so disposing returns the connection to the pool rather
    /// than closing it. Best effort: never throws; a body that does not end in time is dropped with its connection, as before.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask DrainAsync()
    {
        if (_response is null || _linked is null || _linked.IsCancellationRequested)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        ITimer? timer = null;
        try
        {
            long total = 0;
            while (total <= DrainMaxBytes)
            {
                var pending = _inner.ReadAsync(buffer, _linked.Token);
                if (!pending.IsCompleted && timer is null)
                {
                    // The real clock on purpose: a test's manual clock must not hold a finished stream open.
                    timer = TimeProvider.System.CreateTimer(static state => ((ResponseEventStream)state!).CancelQuietly(), this, DrainTimeout, Timeout.InfiniteTimeSpan);
                }

                var read = await pending.ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                total += read;
            }
        }
        catch (Exception)
        {
            // Best effort: the connection is closed instead of reused.
        }
        finally
        {
            timer?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads a whole JSON or error body under the guards: at most <paramref name="maxBytes"/> bytes after decompression (a larger
    /// body fails with a <see cref="QwenApiException"/> when <paramref name="failWhenLarger"/>, else is cut there), each read within
    /// <paramref name="perReadTimeout"/> (<see cref="QwenClientOptions.StreamingIdleTimeout"/> on a streaming call; infinite when the
    /// whole read runs under <see cref="QwenClientOptions.RequestTimeout"/>). Transport failures (<see cref="IsTransportFailure"/>)
    /// and the caller's cancellation pass through for the caller to translate.
    /// </summary>
    public static async Task<PooledBufferWriter> ReadBodyAsync(
        HttpContent content, int maxBytes, bool failWhenLarger, TimeSpan perReadTimeout, TimeProvider timeProvider, string? requestId, string? apiKey,
        HttpStatusCode status, CancellationToken cancellationToken)
    {
        var length = content.Headers.ContentLength;
        if (failWhenLarger && length > maxBytes)
        {
            throw QwenErrors.BodyTooLarge(maxBytes, length, status, requestId, apiKey);
        }

        // Sized from Content-Length up to 1 MiB: a claimed length is not trusted with more memory than that before bytes arrive.
        var buffer = new PooledBufferWriter(length is > 0 && length < maxBytes ? (int)Math.Min(length.Value + 1, PooledBufferWriter.MaxPooledBytes) : Math.Min(16 * 1024, maxBytes + 1), poolLargeBuffers: false);
        using var guard = perReadTimeout == Timeout.InfiniteTimeSpan ? null : new ReadDeadline(timeProvider, cancellationToken);
        var token = guard?.Token ?? cancellationToken;
        try
        {
            using var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
            while (true)
            {
                // One byte past the cap tells "exactly the cap" from "more".
                var room = maxBytes + 1 - buffer.WrittenCount;
                var memory = buffer.GetMemory(Math.Min(room, 16 * 1024));
                memory = memory[..Math.Min(memory.Length, room)];
                guard?.Arm(perReadTimeout);
                var read = await stream.ReadAsync(memory, token).ConfigureAwait(false);
                guard?.Disarm();
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    if (!failWhenLarger)
                    {
                        return buffer;
                    }

                    throw QwenErrors.BodyTooLarge(maxBytes, null, status, requestId, apiKey);
                }
            }
        }
        catch (OperationCanceledException ex) when (guard is { Fired: true } && !cancellationToken.IsCancellationRequested)
        {
            buffer.Dispose();
            throw QwenErrors.Timeout(nameof(QwenClientOptions.StreamingIdleTimeout), perReadTimeout, "body went silent: no data arrived", requestId, ex, apiKey);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether an exception from reading a body is a transport failure: a broken connection, or content that fails to decompress
    /// (<see cref="InvalidDataException"/> from gzip/deflate, <see cref="InvalidOperationException"/> from Brotli).
    /// </summary>
    public static bool IsTransportFailure(Exception ex) =>
        ex is IOException or HttpRequestException or InvalidDataException || (ex is InvalidOperationException && ex is not ObjectDisposedException);

    private static bool IsReadFailure(Exception ex) => ex is OperationCanceledException or IOException or HttpRequestException or InvalidDataException or InvalidOperationException;

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

    /// <summary>
    /// Disposal of the client becomes an <see cref="ObjectDisposedException"/>; the caller's cancellation stays an
    /// <see cref="OperationCanceledException"/>; a timer becomes a timeout; a broken connection a <see cref="QwenApiException"/>.
    /// </summary>
    private Exception Translate(Exception ex, CancellationToken cancellationToken)
    {
        if (_lifetimeToken.IsCancellationRequested)
        {
            return QwenErrors.Disposed(ex);
        }

        if (_overallTimedOut)
        {
            return OverallTimeout(ex);
        }

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
        QwenErrors.Timeout(nameof(QwenClientOptions.StreamingIdleTimeout), _idleTimeout, "stream went silent: no data arrived", RequestId, inner ?? new OperationCanceledException(), _apiKey);

    private TimeoutException OverallTimeout(Exception? inner) =>
        QwenErrors.Timeout(nameof(QwenClientOptions.StreamingResponseTimeout), _responseTimeout, "stream did not finish", RequestId, inner ?? new OperationCanceledException(), _apiKey);

    /// <summary>What is left of <see cref="QwenClientOptions.StreamingResponseTimeout"/>; infinite when it is off.</summary>
    private TimeSpan RemainingResponseTime() =>
        _responseTimeout == Timeout.InfiniteTimeSpan || _timeProvider is null
            ? Timeout.InfiniteTimeSpan
            : _responseTimeout - _timeProvider.GetElapsedTime(_started);

    private void OnTimer()
    {
        if (_armedForOverall)
        {
            _overallTimedOut = true;
        }
        else
        {
            _timedOut = true;
        }

        CancelQuietly();
    }

    private void CancelQuietly()
    {
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

    /// <summary>A per-read deadline for <see cref="ReadBodyAsync"/>: armed before a read, disarmed after; knows whether it fired.</summary>
    private sealed class ReadDeadline : IDisposable
    {
        private readonly CancellationTokenSource _linked;
        private readonly ITimer _timer;
        private volatile bool _fired;

        public ReadDeadline(TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _timer = timeProvider.CreateTimer(static state => ((ReadDeadline)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public CancellationToken Token => _linked.Token;

        public bool Fired => _fired;

        public void Arm(TimeSpan timeout) => _timer.Change(timeout, Timeout.InfiniteTimeSpan);

        public void Disarm() => _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public void Dispose()
        {
            _timer.Dispose();
            _linked.Dispose();
        }

        private void Fire()
        {
            _fired = true;
            try
            {
                _linked.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The read already finished.
            }
        }
    }
}
