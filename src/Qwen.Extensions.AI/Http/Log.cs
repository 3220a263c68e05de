using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI.Http;

/// <summary>The client's log messages (source-generated; none carries the key or the conversation).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "QwenRetry", Level = LogLevel.Warning,
        Message = "Qwen request failed (status {StatusCode}, code {ErrorCode}, request id {RequestId}); retry {Retry} of {MaxRetries} in {DelayMs} ms.")]
    public static partial void Retrying(ILogger logger, int retry, int maxRetries, long delayMs, int? statusCode, string? errorCode, string? requestId);

    [LoggerMessage(EventId = 2, EventName = "QwenRetryAfterTooLong", Level = LogLevel.Information,
        Message = "Qwen request failed (status {StatusCode}, code {ErrorCode}, request id {RequestId}) and asked to wait {RetryAfterSeconds} s, longer than the 60 s the client waits; not retrying.")]
    public static partial void RetryAfterTooLong(ILogger logger, int? statusCode, string? errorCode, double retryAfterSeconds, string? requestId);

    [LoggerMessage(EventId = 40, EventName = "QwenCacheMarkersDropped", Level = LogLevel.Warning,
        Message = "The request has {Count} context-cache markers (yours and the automatic policy's); the service honours at most {Max}, so the first {Dropped} are dropped and the last ones sent.")]
    public static partial void CacheMarkersDropped(ILogger logger, int count, int max, int dropped);
}
