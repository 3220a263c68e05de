namespace Qwen.Extensions.AI;

/// <summary>An error reported by DashScope (an HTTP error or an error event inside a stream), or a response that breaks the protocol.</summary>
/// <remarks>The message never contains the API key.</remarks>
public class QwenApiException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="QwenApiException"/> class.</summary>
    public QwenApiException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QwenApiException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public QwenApiException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QwenApiException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public QwenApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QwenApiException"/> class with the details the service reported.</summary>
    /// <param name="message">The service's message (or a description of the protocol failure).</param>
    /// <param name="statusCode">The HTTP status code, if any.</param>
    /// <param name="errorCode">The service's error <c>code</c>, for example <c>invalid_api_key</c>.</param>
    /// <param name="errorType">The service's error <c>type</c>, for example <c>invalid_request_error</c>.</param>
    /// <param name="param">The request parameter the error names, if any.</param>
    /// <param name="requestId">The request id (<c>x-request-id</c> header or body <c>request_id</c>).</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public QwenApiException(string message, HttpStatusCode? statusCode, string? errorCode, string? errorType, string? param, string? requestId, Exception? innerException = null)
        : base(Compose(message, statusCode, errorCode, requestId), innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorType = errorType;
        Param = param;
        RequestId = requestId;
        ServiceMessage = message;
    }

    /// <summary>Gets the HTTP status code, or <see langword="null"/> when there was none (for example an error event inside a stream).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the service's error code, such as <c>invalid_api_key</c>, <c>limit_requests</c> or <c>insufficient_quota</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the service's error type, such as <c>invalid_request_error</c>.</summary>
    public string? ErrorType { get; }

    /// <summary>Gets the request parameter the error is about, when the service names one.</summary>
    public string? Param { get; }

    /// <summary>Gets the request id to quote to Alibaba Cloud support.</summary>
    public string? RequestId { get; }

    /// <summary>Gets the service's own message, without the status, code and request id that <see cref="Exception.Message"/> adds.</summary>
    public string? ServiceMessage { get; }

    /// <summary>Gets how long the service asked the caller to wait before trying again (<c>retry-after-ms</c> or <c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether the connection failed before any response arrived (the inner exception says how).</summary>
    internal bool IsConnectionFailure { get; init; }

    /// <summary>Gets or sets the <see cref="TimeProvider.GetTimestamp"/> at which the failed attempt started (a stream-only rejection's fallback shares its time).</summary>
    internal long? AttemptStarted { get; set; }

    private static string Compose(string message, HttpStatusCode? statusCode, string? errorCode, string? requestId)
    {
        var sb = new StringBuilder("Qwen API error");
        if (statusCode is { } status)
        {
            sb.Append(' ').Append((int)status).Append(" (").Append(status).Append(')');
        }

        if (!string.IsNullOrEmpty(errorCode))
        {
            sb.Append(" [").Append(errorCode).Append(']');
        }

        sb.Append(": ").Append(message);
        if (!string.IsNullOrEmpty(requestId))
        {
            sb.Append(" (request id: ").Append(requestId).Append(')');
        }

        return sb.ToString();
    }
}
