using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// A read-only pass-through over a response stream that fails with a <see cref="QwenApiException"/> as soon as one server-sent
/// event grows past a limit. <see cref="System.Net.ServerSentEvents.SseParser"/> buffers a whole line (and a whole event's data)
/// with no cap, so a server that never sends a newline would otherwise grow that buffer until memory runs out.
/// Bytes are only scanned (vectorized search for line ends), never copied.
/// </summary>
internal sealed class EventSizeLimitStream : Stream
{
    /// <summary>The default limit on one event: far above any real chunk (a base64 audio chunk is tens of KB), far below harm.</summary>
    public const int DefaultMaxEventBytes = 16 * 1024 * 1024;

    private readonly Stream _inner;
    private readonly int _maxEventBytes;
    private readonly HttpStatusCode _status;
    private readonly string? _requestId;
    private long _eventBytes;
    private int _lineEnds;
    private bool _afterCarriageReturn;

    public EventSizeLimitStream(Stream inner, int maxEventBytes, HttpStatusCode status, string? requestId)
    {
        _inner = inner;
        _maxEventBytes = maxEventBytes;
        _status = status;
        _requestId = requestId;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Scan(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var pending = _inner.ReadAsync(buffer, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            // Data already buffered by the connection: no state machine at all.
            var read = pending.Result;
            Scan(buffer.Span[..read]);
            return new ValueTask<int>(read);
        }

        return AwaitAndScanAsync(pending, buffer);
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
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitAndScanAsync(ValueTask<int> pending, Memory<byte> buffer)
    {
        var read = await pending.ConfigureAwait(false);
        Scan(buffer.Span[..read]);
        return read;
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
            throw new QwenApiException(
                string.Create(CultureInfo.InvariantCulture, $"A server-sent event is larger than {_maxEventBytes:N0} bytes, the most the client accepts for one event; the stream was stopped so a runaway or hostile response cannot exhaust memory."),
                _status, null, null, null, _requestId);
        }
    }
}
