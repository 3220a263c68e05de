using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The one place the connector builds its failures: every <see cref="QwenApiException"/> and <see cref="TimeoutException"/> comes
/// from a named constructor here, and this is the only place that redacts the API key from a message. It also recognises the
/// failures the client treats specially (a malformed payload, a stream-only rejection). What each failure surfaces as is listed
/// in docs/reliability.md; which of them are retried is <see cref="RetryPolicy"/>'s.
/// </summary>
internal static class QwenErrors
{
    /// <summary>The most of an error body that is read; a gateway's HTML page needs no more.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>A non-2xx answer (or a JSON error body sent to a streaming request): its error body, status, request id and retry hint.</summary>
    public static async Task<QwenApiException> FromResponseAsync(HttpResponseMessage response, string? apiKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var requestId = ResponseHeaders.RequestId(response);
        var retryAfter = ResponseHeaders.RetryAfter(response, now);
        byte[] body;
        try
        {
            body = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
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
        if (string.IsNullOrWhiteSpace(message))
        {
            message = body.Length == 0
                ? $"The service answered {(int)status} {response.ReasonPhrase} with an empty body."
                : $"The service answered {(int)status} {response.ReasonPhrase} with a body that is not a JSON error: {Snippet(body)}";
        }

        return new QwenApiException(
            Redact(message, apiKey),
            status,
            detail?.Code ?? envelope?.Code,
            detail?.Type,
            detail?.Param,
            requestId ?? envelope?.RequestId)
        {
            RetryAfter = retryAfter,
        };
    }

    /// <summary>Throws when a parsed body or event is an error (<c>{"error":{...}}</c> or the native <c>{"code","message"}</c>).</summary>
    public static void ThrowIfError(ChatCompletionFrame frame, string? requestId, HttpStatusCode? status)
    {
        if (frame.Error is { } error)
        {
            throw FromErrorDetail(error, status, requestId ?? frame.RequestId);
        }

        if (!string.IsNullOrEmpty(frame.NativeCode) && frame.ChoiceCount == 0)
        {
            throw FromNativeError(frame.NativeCode, frame.NativeMessage, status, requestId ?? frame.RequestId);
        }
    }

    /// <summary>An <c>{"error":{...}}</c> object in a 2xx body or a stream event.</summary>
    public static QwenApiException FromErrorDetail(ErrorDetail error, HttpStatusCode? status, string? requestId) =>
        new(string.IsNullOrWhiteSpace(error.Message) ? "The service reported an error without a message." : error.Message,
            status, error.Code, error.Type, error.Param, requestId);

    /// <summary>A native-protocol <c>{"code","message"}</c> error in a 2xx body or a stream event.</summary>
    public static QwenApiException FromNativeError(string code, string? message, HttpStatusCode? status, string? requestId) =>
        new(message ?? code, status, code, null, null, requestId);

    /// <summary>A 2xx answer with nothing in it.</summary>
    public static QwenApiException EmptyBody(HttpStatusCode status, string? requestId) =>
        new("The service answered with an empty body.", status, null, null, null, requestId);

    /// <summary>A completion without a <c>choices</c> array, or with an empty one.</summary>
    public static QwenApiException NoChoices(bool hasChoicesArray, HttpStatusCode? status, string? requestId) =>
        new(hasChoicesArray ? "The response has an empty 'choices' array." : "The response has no 'choices'.", status, null, null, null, requestId);

    /// <summary>A body or event that could not be read as the protocol says (see <see cref="IsMalformedPayload"/>).</summary>
    public static QwenApiException Malformed(string what, Exception inner, HttpStatusCode? status, string? requestId) =>
        new($"The service sent a malformed {what}: {inner.Message}", status, null, null, null, requestId, inner);

    /// <summary>The connection broke while an answer that had begun (status and headers in) was being read.</summary>
    public static QwenApiException ConnectionCut(string what, Exception inner, HttpStatusCode? status, string? requestId, string? apiKey) =>
        new(Redact($"The connection was cut while reading the {what}: {inner.Message}", apiKey), status, null, null, null, requestId, inner);

    /// <summary>The connection broke while a streamed reply was coming.</summary>
    public static QwenApiException StreamCut(Exception inner, HttpStatusCode? status, string? requestId, string? apiKey) =>
        new(Redact($"The connection was cut while the reply was streaming: {inner.Message}", apiKey), status, null, null, null, requestId, inner);

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
    public static TimeoutException Timeout(string optionName, TimeSpan timeout, string what, string? requestId, Exception inner) =>
        new TimeoutException($"The Qwen request {what} within {Describe(timeout)} (QwenClientOptions.{optionName}). " +
            $"Raise QwenClientOptions.{optionName}, or set it to Timeout.InfiniteTimeSpan to turn it off." +
            (requestId is null ? string.Empty : $" (request id: {requestId})"),
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

    /// <summary>Whether the service refused a non-streaming call because the model (or its thinking mode) only streams.</summary>
    public static bool IsStreamOnlyRejection(QwenApiException ex)
    {
        if (ex.StatusCode != HttpStatusCode.BadRequest || ex.ServiceMessage is not { } message)
        {
            return false;
        }

        return message.Contains("only support stream", StringComparison.OrdinalIgnoreCase)
            || message.Contains("non-streaming calls", StringComparison.OrdinalIgnoreCase)
            || message.Contains("must be set to false for non-stream", StringComparison.OrdinalIgnoreCase);
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

    private static string Redact(string message, string? apiKey) =>
        string.IsNullOrEmpty(apiKey) || apiKey.Length < 4 ? message : message.Replace(apiKey, "***", StringComparison.Ordinal);

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return buffer.AsSpan(0, total).ToArray();
    }

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
