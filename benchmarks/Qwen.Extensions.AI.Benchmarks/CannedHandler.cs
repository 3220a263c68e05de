using System.Net;
using System.Net.Http.Headers;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>
/// An in-process <see cref="HttpMessageHandler"/> that answers every request with the same canned bytes, as a non-seekable
/// stream (like a socket): one SSE event per read for streams, 16 KB reads for JSON bodies. Every contender gets this handler.
/// </summary>
public sealed class CannedHandler(CannedResponse response, bool drainRequest = false) : HttpMessageHandler
{
    /// <summary>Gets the number of request body bytes read (only when draining).</summary>
    public long RequestBytes { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        drainRequest && request.Content is not null ? DrainThenRespondAsync(request, cancellationToken) : Task.FromResult(Respond(request));

    private async Task<HttpResponseMessage> DrainThenRespondAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var counter = new CountingStream();
        await request.Content!.CopyToAsync(counter, cancellationToken);
        RequestBytes = counter.Length;
        return Respond(request);
    }

    private HttpResponseMessage Respond(HttpRequestMessage request)
    {
        var content = new StreamContent(new CannedStream(response.Body, response.EventEnds));
        content.Headers.ContentType = new MediaTypeHeaderValue(response.MediaType);
        if (response.EventEnds is null)
        {
            content.Headers.ContentLength = response.Body.Length;
        }

        var message = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        message.Headers.TryAddWithoutValidation("x-request-id", "4c83f437-303f-907b-9de5-79cac83d6b18");
        return message;
    }

    /// <summary>Counts what is written and keeps nothing.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }
    }
}

/// <summary>A read-only, non-seekable stream over canned bytes: each read returns at most one SSE event (or 16 KB).</summary>
public sealed class CannedStream(byte[] body, int[]? eventEnds) : Stream
{
    private int _position;
    private int _event;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var end = body.Length;
        if (eventEnds is not null)
        {
            while (_event < eventEnds.Length && eventEnds[_event] <= _position)
            {
                _event++;
            }

            end = _event < eventEnds.Length ? eventEnds[_event] : body.Length;
        }
        else
        {
            end = Math.Min(end, _position + 16 * 1024);
        }

        var n = Math.Min(buffer.Length, end - _position);
        body.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
