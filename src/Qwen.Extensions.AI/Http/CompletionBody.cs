namespace Qwen.Extensions.AI.Http;

/// <summary>A whole non-streaming 2xx answer: its bytes (in a pooled buffer: dispose it after parsing), status and request id.</summary>
internal readonly record struct CompletionBody(PooledBufferWriter Body, HttpStatusCode StatusCode, string? RequestId) : IDisposable
{
    public void Dispose() => Body.Dispose();
}
