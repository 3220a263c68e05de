namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The one place the connector builds its failures: every <see cref="QwenApiException"/> and <see cref="TimeoutException"/> comes
/// from a named constructor here, and this is the only place that redacts the API key from a message. It also recognises the
/// failures the client treats specially (a malformed payload, a stream-only rejection). What each failure surfaces as is listed
/// in docs/reliability.md; which of them are retried is <see cref="RetryPolicy"/>'s.
/// </summary>
internal static class QwenErrors
{
    /// <summary>What replaces the API key wherever a service-sent string echoes it.</summary>
    public const string RedactedKey = "***";

    /// <summary>
    /// A non-2xx answer (or a JSON error body sent to a streaming request): its error body (read by the one body guard, at most
    /// <paramref name="maxBytes"/>, each read within <paramref name="perReadTimeout"/>), status, request id and retry hint. A redirect
    /// names its <c>Location</c>: the client does not follow redirects, so the conversation is never re-sent elsewhere.
    /// </summary>
    public static async Task<QwenApiException> FromResponseAsync(
        HttpResponseMessage response, string? apiKey, int maxBytes, TimeSpan perReadTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var requestId = ResponseHeaders.RequestId(response);
        var retryAfter = ResponseHeaders.RetryAfter(response, timeProvider.GetUtcNow());
        byte[] body;
        try
        {
            using var read = await ResponseEventStream.ReadBodyAsync(
                response.Content, Math.Min(maxBytes, ResponseEventStream.MaxErrorBodyBytes), failWhenLarger: false, perReadTimeout, timeProvider, requestId, apiKey, status, cancellationToken).ConfigureAwait(false);
            body = read.WrittenSpan.ToArray();
        }
        catch (Exception ex) when (ResponseEventStream.IsTransportFailure(ex))
        {
            // A cut or undecodable error body (corrupt gzip, ...): the status still says what happened, and decides the retry.
            body = [];
        }

        ErrorEnvelope? envelope = null;
        if (body.Length > 0 && body[0] is (byte)'{' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            try
            {
                envelope = JsonSerializer.Deserialize(body, QwenJsonContext.Default.ErrorEnvelope);
            }
            catch (JsonException)
            {
                // Not JSON after all: reported as text below.
            }
        }

        var detail = envelope?.Error;
        var message = detail?.Message ?? envelope?.Message;
        if ((int)status is >= 300 and < 400)
        {
            var location = response.Headers.Location;
            message = $"The service answered {(int)status} {response.ReasonPhrase}, a redirect to '{location?.ToString() ?? "(no Location)"}'; the client does not follow redirects " +
                "(the conversation and key would be re-sent to another address). Check QwenClientOptions.Endpoint." +
                (string.IsNullOrWhiteSpace(message) ? string.Empty : " The service said: " + message);
        }
        else if (string.IsNullOrWhiteSpace(message))
        {
            message = body.Length == 0
                ? $"The service answered {(int)status} {response.ReasonPhrase} with an empty body."
                : $"The service answered {(int)status} {response.ReasonPhrase} with a body that is not a JSON error: {Snippet(body)}";
        }

        return Create(message, status, detail?.Code ?? envelope?.Code, detail?.Type, detail?.Param, requestId ?? envelope?.RequestId, null, apiKey, retryAfter);
    }

    /// <summary>
    /// Throws when a parsed body or event is an error: <c>{"error":{...}}</c>, or the native <c>{"code","message"}</c> (code a string or
    /// a number other than 0/200) with no choice to show, whether <c>choices</c> is missing or empty.
    /// </summary>
    public static void ThrowIfError(ChatCompletionFrame frame, string? requestId, HttpStatusCode? status, string? apiKey)
    {
        if (frame.Error is { } error)
        {
            throw FromErrorDetail(error, status, requestId ?? frame.RequestId, apiKey);
        }

        if (IsNativeError(frame))
        {
            throw FromNativeError(frame.NativeCode!, frame.NativeMessage, status, requestId ?? frame.RequestId, apiKey);
        }
    }

    /// <summary>Whether the frame is DashScope's native error shape: a top-level <c>code</c> that is not a success code, and no choice.</summary>
    public static bool IsNativeError(ChatCompletionFrame frame) =>
        frame.ChoiceCount == 0 && frame.NativeCode is { Length: > 0 } code && code is not ("0" or "200");

    /// <summary>An <c>{"error":{...}}</c> object in a 2xx body or a stream event.</summary>
    public static QwenApiException FromErrorDetail(ErrorDetail error, HttpStatusCode? status, string? requestId, string? apiKey) =>
        Create(string.IsNullOrWhiteSpace(error.Message) ? "The service reported an error without a message." : error.Message,
            status, error.Code, error.Type, error.Param, requestId, null, apiKey);

    /// <summary>A native-protocol <c>{"code","message"}</c> error in a 2xx body or a stream event.</summary>
    public static QwenApiException FromNativeError(string code, string? message, HttpStatusCode? status, string? requestId, string? apiKey) =>
        Create(string.IsNullOrWhiteSpace(message) ? code : message, status, code, null, null, requestId, null, apiKey);

    /// <summary>A non-streaming body larger than <see cref="QwenClientOptions.MaxResponseBodyBytes"/> (after decompression).</summary>
    public static QwenApiException BodyTooLarge(int maxBytes, long? contentLength, HttpStatusCode? status, string? requestId, string? apiKey) =>
        Create(string.Create(CultureInfo.InvariantCulture, $"The response body is larger than {maxBytes:N0} bytes{(contentLength is { } length ? $" (Content-Length {length:N0})" : string.Empty)}, the most the client reads (QwenClientOptions.MaxResponseBodyBytes); it was not read further."),
            status, null, null, null, requestId, null, apiKey);

    /// <summary>The client was disposed while a call was running (or before it started).</summary>
    public static ObjectDisposedException Disposed(Exception? inner) =>
        inner is null
            ? new ObjectDisposedException(nameof(QwenChatClient), "The QwenChatClient was disposed while the call was running.")
            : new ObjectDisposedException("The QwenChatClient was disposed while the call was running.", inner);

    /// <summary>Replaces every occurrence of the API key in a service-sent string (message, code, type, param, request id, header).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Redact(string? text, string? apiKey) =>
        text is null || string.IsNullOrEmpty(apiKey) || apiKey.Length < 4 ? text : text.Replace(apiKey, RedactedKey, StringComparison.Ordinal);

    /// <summary>A 2xx answer with nothing in it.</summary>
    public static QwenApiException EmptyBody(HttpStatusCode status, string? requestId) =>
        new("The service answered with an empty body.", status, null, null, null, requestId);

    /// <summary>A completion without a <c>choices</c> array, or with an empty one.</summary>
    public static QwenApiException NoChoices(bool hasChoicesArray, HttpStatusCode? status, string? requestId) =>
        new(hasChoicesArray ? "The response has an empty 'choices' array." : "The response has no 'choices'.", status, null, null, null, requestId);

    /// <summary>A body or event that could not be read as the protocol says (see <see cref="IsMalformedPayload"/>).</summary>
    public static QwenApiException Malformed(string what, Exception inner, HttpStatusCode? status, string? requestId, string? apiKey = null) =>
        Create($"The service sent a malformed {what}: {inner.Message}", status, null, null, null, requestId, inner, apiKey);

    /// <summary>The connection broke (or the body failed to decompress) while an answer that had begun (status and headers in) was being read.</summary>
    public static QwenApiException ConnectionCut(string what, Exception inner, HttpStatusCode? status, string? requestId, string? apiKey) =>
        Create($"The connection was cut while reading the {what}: {inner.Message}", status, null, null, null, requestId, inner, apiKey);

    /// <summary>The connection broke (or the body failed to decompress) while a streamed reply was coming.</summary>
    public static QwenApiException StreamCut(Exception inner, HttpStatusCode? status, string? requestId, string? apiKey) =>
        Create($"The connection was cut while the reply was streaming: {inner.Message}", status, null, null, null, requestId, inner, apiKey);

    /// <summary>A stream that ended cleanly, but before <c>data: [DONE]</c>.</summary>
    public static QwenApiException StreamEndedBeforeDone(HttpStatusCode? status, string? requestId) =>
        new("The stream ended before 'data: [DONE]': the connection was closed or cut while the reply was still coming, so the reply is incomplete.",
            status, null, null, null, requestId);

    /// <summary>One server-sent event outgrew the cap of <see cref="ResponseEventStream"/>.</summary>
    public static QwenApiException EventTooLarge(int maxEventBytes, HttpStatusCode? status, string? requestId) =>
        new(string.Create(CultureInfo.InvariantCulture, $"A server-sent event is larger than {maxEventBytes:N0} bytes, the most the client accepts for one event; the stream was stopped so a runaway or hostile response cannot exhaust memory."),
            status, null, null, null, requestId);

    /// <summary>No answer at all: the connection failed before any response (retried when transient; see <see cref="RetryPolicy"/>).</summary>
    public static QwenApiException ConnectionFailed(Uri uri, Exception inner, string? apiKey) =>
        new(Redact($"Could not get an answer from {uri.GetLeftPart(UriPartial.Authority)}: {inner.Message}", apiKey), null, null, null, null, null, inner)
        {
            IsConnectionFailure = true,
        };

    /// <summary>One of the client's own timeouts fired; the message names the option (<paramref name="optionName"/>) and its value.</summary>
    public static TimeoutException Timeout(string optionName, TimeSpan timeout, string what, string? requestId, Exception inner, string? apiKey = null) =>
        new TimeoutException($"The Qwen request {what} within {Describe(timeout)} (QwenClientOptions.{optionName}). " +
            $"Raise QwenClientOptions.{optionName}, or set it to Timeout.InfiniteTimeSpan to turn it off." +
            (requestId is null ? string.Empty : $" (request id: {Redact(requestId, apiKey)})"),
            inner);

    /// <summary>The caller's <see cref="HttpClient.Timeout"/> fired, not one of ours.</summary>
    public static TimeoutException HttpClientTimeout(TimeSpan timeout, Exception inner) =>
        new TimeoutException($"The Qwen request was cancelled by HttpClient.Timeout ({Describe(timeout)}) of the HttpClient given to QwenChatClient. " +
            "Set that HttpClient's Timeout to Timeout.InfiniteTimeSpan and use QwenClientOptions.RequestTimeout, StreamingHeadersTimeout and StreamingIdleTimeout instead.",
            inner);

    /// <summary>
    /// Whether an exception from reading or mapping an answer means the payload broke the protocol (bad JSON, a wrong type, a value
    /// out of range such as a <c>created</c> beyond year 9999, bad base64). Bugs (null references, bad indexes or casts) are not masked.
    /// </summary>
    public static bool IsMalformedPayload(Exception ex) =>
        ex is JsonException or FormatException or ArgumentException or OverflowException
        || (ex is InvalidOperationException && ex is not ObjectDisposedException);

    /// <summary>
    /// The service's documented refusals of a non-streaming call by a model (or mode) that only streams, matched as substrings of
    /// the message (the first one really ends with a space and says "support"): a stream-only model (QVQ, QwQ), thinking mode of
    /// open-source Qwen3 (two wordings), Qwen-Omni audio output, and open-source models without <c>stream</c>.
    /// </summary>
    internal static readonly string[] StreamOnlyRejections =
    [
        "This model only support stream mode, please enable the stream parameter to access the model.",
        "parameter.enable_thinking must be set to false for non-streaming calls",
        "parameter.enable_thinking only support stream call",
        "'audio' output only support with stream=true",
        "current user api does not support http call",
    ];

    /// <summary>Whether the service refused a non-streaming call because the model (or its mode) only streams: one of <see cref="StreamOnlyRejections"/> with a 4xx status.</summary>
    public static bool IsStreamOnlyRejection(QwenApiException ex)
    {
        if (ex.StatusCode is not { } status || (int)status is < 400 or > 499 || ex.ServiceMessage is not { } message)
        {
            return false;
        }

        foreach (var rejection in StreamOnlyRejections)
        {
            if (message.Contains(rejection, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the service refused an embeddings batch as too large and named its limit: HTTP 400 with "... batch size is invalid, it
    /// should not be larger than 10." (captured; one project saw 20 claimed once, so the number is read, not assumed).
    /// </summary>
    public static bool TryGetBatchLimit(QwenApiException ex, out int limit)
    {
        limit = 0;
        if (ex.StatusCode != HttpStatusCode.BadRequest || ex.ServiceMessage is not { } message)
        {
            return false;
        }

        const string Marker = "larger than ";
        var at = message.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0 || !message.Contains("batch", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var digits = message.AsSpan(at + Marker.Length);
        var length = 0;
        while (length < digits.Length && length < 6 && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        return length > 0 && int.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit > 0;
    }

    /// <summary>
    /// A Responses API answer with <c>status:"failed"</c> (or <c>cancelled</c>) or an <c>error</c> object, in a 2xx body or a
    /// <c>response.failed</c> event: the service reports rate limits this way with HTTP 200 (dashscope-more.md 1.10), which
    /// <see cref="RetryPolicy.IsRetryable"/> retries like a 429 (<see cref="RetryPolicy.IsRateLimitMessage"/>).
    /// </summary>
    public static QwenApiException ResponseFailed(string? code, string? message, string? state, HttpStatusCode? status, string? requestId, string? apiKey) =>
        Create(string.IsNullOrWhiteSpace(message) ? $"The response ended with status '{state ?? "failed"}' and no error message." : message,
            status, code, null, null, requestId, null, apiKey);

    /// <summary>A Responses API stream that ended before <c>response.completed</c>, <c>response.incomplete</c> or <c>response.failed</c>.</summary>
    public static QwenApiException ResponsesStreamEndedEarly(HttpStatusCode? status, string? requestId) =>
        new("The stream ended before 'response.completed', 'response.incomplete' or 'response.failed': the connection was closed or cut while the reply was still coming, so the reply is incomplete.",
            status, null, null, null, requestId);

    /// <summary>The one constructor of service-reported failures: every string field is redacted before it reaches the exception.</summary>
    private static QwenApiException Create(
        string message, HttpStatusCode? status, string? code, string? type, string? param, string? requestId, Exception? inner, string? apiKey, TimeSpan? retryAfter = null) =>
        new(Redact(message, apiKey), status, Redact(code, apiKey), Redact(type, apiKey), Redact(param, apiKey), Redact(requestId, apiKey), inner)
        {
            RetryAfter = retryAfter,
        };

    private static string Snippet(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body).ReplaceLineEndings(" ").Trim();
        return text.Length <= 300 ? text : text[..300] + "...";
    }

    private static string Describe(TimeSpan timeout) =>
        timeout == System.Threading.Timeout.InfiniteTimeSpan ? "no limit"
        : timeout.TotalSeconds >= 1 ? timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : timeout.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
