using System.Net;

namespace Qwen.Extensions.AI.Http;

/// <summary>A whole non-streaming 2xx answer: its bytes, status and request id.</summary>
internal readonly record struct CompletionBody(byte[] Bytes, HttpStatusCode StatusCode, string? RequestId);
