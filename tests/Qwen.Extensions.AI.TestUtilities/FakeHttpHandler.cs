using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>
/// The one fake HTTP server of the offline tests: an <see cref="HttpMessageHandler"/> that records each request exactly
/// (method, URI, headers, body bytes) and answers from a script, one step per request, in the order queued: canned bytes
/// (<see cref="CannedResponse"/>), scripted replies (<see cref="ThenCompletion"/>, <see cref="ThenStream"/>, <see cref="ThenStatus"/>)
/// or faults (<see cref="ThenThrow"/>, <see cref="ThenDelay"/>, a <see cref="ScriptedStream"/> body that hangs or resets).
/// Nothing leaves the process.
/// </summary>
public sealed partial class FakeHttpHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _steps = new();
    private readonly List<RecordedRequest> _requests = [];

    public FakeHttpHandler(params CannedResponse[] responses)
    {
        foreach (var response in responses)
        {
            Enqueue(response);
        }
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    public RecordedRequest SingleRequest => Assert.Single(Requests);

    public bool Disposed { get; private set; }

    public FakeHttpHandler Enqueue(CannedResponse response) => Then((request, _) => Task.FromResult(ToMessage(response, request)));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requestCount);

        // Like a real socket handler, a cancelled token fails the send; nothing is recorded because nothing was sent.
        cancellationToken.ThrowIfCancellationRequested();
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToArray();
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = header.Value.ToArray();
            }
        }

        lock (_requests)
        {
            _requests.Add(new RecordedRequest { Method = request.Method, Uri = request.RequestUri!, Headers = headers, Body = body });
        }

        if (_steps.TryDequeue(out var step))
        {
            return await step(request, cancellationToken);
        }

        if (_fallback is not null)
        {
            return await _fallback(request, cancellationToken);
        }

        throw new InvalidOperationException($"The test queued no response for request #{RequestCount} ({request.Method} {request.RequestUri}).");
    }

    private static HttpResponseMessage ToMessage(CannedResponse canned, HttpRequestMessage request)
    {
        var response = new HttpResponseMessage(canned.Status)
        {
            RequestMessage = request,
            Content = canned.ResetAfterBytes is { } cut
                ? new StreamContent(new ResettingStream(canned.Body, cut))
                : new ByteArrayContent(canned.Body),
        };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(canned.ContentType);
        foreach (var (name, value) in canned.Headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>Delivers the first bytes, then fails the way a reset connection does.</summary>
    private sealed class ResettingStream(byte[] bytes, int cut) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var limit = Math.Min(cut, bytes.Length);
            if (_position >= limit)
            {
                throw new IOException("The connection was reset by the peer (simulated).");
            }

            var n = Math.Min(count, limit - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var limit = Math.Min(cut, bytes.Length);
            if (_position >= limit)
            {
                throw new IOException("The connection was reset by the peer (simulated).");
            }

            var n = Math.Min(buffer.Length, limit - _position);
            bytes.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return ValueTask.FromResult(n);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
