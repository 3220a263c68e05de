using System.Net;
using System.Runtime.CompilerServices;

namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The body of a streaming answer, guarded: a read that waits longer than <see cref="QwenClientOptions.StreamingIdleTimeout"/>
/// becomes a <see cref="TimeoutException"/> naming that option; a connection cut mid-stream becomes a
/// <see cref="QwenApiException"/> with the status and request id. The idle clock runs only while a read is waiting, so a slow
/// consumer never trips it. One timer per stream, re-armed per read. (The event size cap is the reader's EventSizeLimitStream.)
/// </summary>
internal sealed class GuardedResponseStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource? _linked;
    private readonly ITimer? _timer;
    private readonly HttpStatusCode _status;
    private readonly string? _requestId;
    private readonly string _apiKey;
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

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
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
            return pending;
        }

        // Only a read that has to wait runs the idle clock; the timer can only cancel it through the linked token.
        _timer?.Change(_idleTimeout, Timeout.InfiniteTimeSpan);
        return AwaitReadAsync(pending, perRead, cancellationToken);
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> pending, CancellationTokenSource? perRead, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw Translate(ex, cancellationToken);
        }
        finally
        {
            Disarm(perRead);
        }
    }

    private static bool IsReadFailure(Exception ex) => ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException;

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

        return new QwenApiException(
            ErrorResponseMapper.Redact($"The connection was cut while the reply was streaming: {ex.Message}", _apiKey),
            _status, null, null, null, _requestId, ex);
    }

    private void Disarm(CancellationTokenSource? perRead)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        perRead?.Dispose();
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
