using System.Net;

namespace Qwen.Extensions.AI.Http;

/// <summary>A 2xx streaming answer: its guarded body stream and request id. Disposing it releases the connection.</summary>
internal sealed class ResponseEventStream(HttpResponseMessage response, Stream stream, string? requestId) : IDisposable
{
    public Stream Stream { get; } = stream;

    public string? RequestId { get; } = requestId;

    public HttpStatusCode StatusCode => response.StatusCode;

    public void Dispose()
    {
        Stream.Dispose();
        response.Dispose();
    }
}
