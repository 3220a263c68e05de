using System.Net;

namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The body of a streaming answer, guarded: a read that waits longer than <see cref="QwenClientOptions.StreamingIdleTimeout"/>
/// becomes a <see cref="TimeoutException"/> naming that option; a connection cut mid-stream becomes a
/// <see cref="QwenApiException"/> with the status and request id; a line longer than <see cref="MaxLineBytes"/> (a hostile or
/// broken server) is refused instead of buffered without end. The idle clock runs only while a read is waiting, so a slow
/// consumer never trips it. One timer per stream, re-armed per read.
/// </summary>
internal sealed class GuardedResponseStream : Stream
{
    /// <summary>The longest single line (one SSE event) accepted: far above any real chunk, and bounded.</summary>
    internal const int MaxLineBytes = 32 * 1024 * 1024;

    private readonly Stream _inner;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource? _linked;
    private readonly ITimer? _timer;
    private readonly HttpStatusCode _status;
    private readonly string? _requestId;
    private readonly string _apiKey;
    private long _lineBytes;
    private volatile bool _timedOut;

    public GuardedResponseStream(Stream inner, TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken callerToken, HttpStatusCode status, string? requestId, string apiKey)
    {
        _inner = inner;
        _idleTimeout = idleTimeout;
        _callerToken = callerToken;
        _status = status;
        _requestId = requestId;
        _apiKey = apiKey;
        if (idleTimeout != Timeout.InfiniteTimeSpan)
        {
            _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
            _timer = timeProvider.CreateTimer(static state => ((GuardedResponseStream)state!).OnIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
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

            _timer!.Change(_idleTimeout, Timeout.InfiniteTimeSpan);
        }

        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _callerToken.ThrowIfCancellationRequested();
            if (_timedOut)
            {
                throw IdleTimeout(ex);
            }

            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new QwenApiException(
                ErrorResponseMapper.Redact($"The connection was cut while the reply was streaming: {ex.Message}", _apiKey),
                _status, null, null, null, _requestId, ex);
        }
        finally
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            perRead?.Dispose();
        }

        CountLine(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The streamed answer is read asynchronously.");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
        }

        base.Dispose(disposing);
    }

    private void CountLine(ReadOnlySpan<byte> chunk)
    {
        var lastNewLine = chunk.LastIndexOfAny((byte)'\n', (byte)'\r');
        _lineBytes = lastNewLine >= 0 ? chunk.Length - lastNewLine - 1 : _lineBytes + chunk.Length;
        if (_lineBytes > MaxLineBytes)
        {
            throw new QwenApiException(
                $"The service sent a stream event longer than {MaxLineBytes / (1024 * 1024)} MiB; the stream was abandoned rather than buffered without end.",
                _status, null, null, null, _requestId);
        }
    }

    private TimeoutException IdleTimeout(Exception? inner) =>
        TransportErrors.Timeout(nameof(QwenClientOptions.StreamingIdleTimeout), _idleTimeout, "stream went silent: no data arrived", _requestId, inner ?? new OperationCanceledException());

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
}
