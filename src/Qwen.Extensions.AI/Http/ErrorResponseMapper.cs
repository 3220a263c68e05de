using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Http;

/// <summary>Error bodies, in-stream error events and protocol failures → <see cref="QwenApiException"/>.</summary>
internal static class ErrorResponseMapper
{
    /// <summary>The most of an error body that is read; a gateway's HTML page needs no more.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    public static async Task<QwenApiException> FromResponseAsync(HttpResponseMessage response, string? apiKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var requestId = GetRequestId(response);
        var retryAfter = GetRetryAfter(response, now);
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
            throw new QwenApiException(
                string.IsNullOrWhiteSpace(error.Message) ? "The service reported an error without a message." : error.Message,
                status, error.Code, error.Type, error.Param, requestId ?? frame.RequestId);
        }

        if (!string.IsNullOrEmpty(frame.NativeCode) && frame.ChoiceCount == 0)
        {
            throw new QwenApiException(frame.NativeMessage ?? frame.NativeCode, status, frame.NativeCode, null, null, requestId ?? frame.RequestId);
        }
    }

    /// <summary>
    /// Whether an exception from reading or mapping an answer means the payload broke the protocol (bad JSON, a wrong type, a value
    /// out of range such as a <c>created</c> beyond year 9999, bad base64). Bugs (null references, bad indexes or casts) are not masked.
    /// </summary>
    public static bool IsMalformedPayload(Exception ex) =>
        ex is JsonException or FormatException or ArgumentException or OverflowException
        || (ex is InvalidOperationException && ex is not ObjectDisposedException);

    /// <summary>A body or event that could not be read as the protocol says.</summary>
    public static QwenApiException Malformed(string what, Exception inner, HttpStatusCode? status, string? requestId) =>
        new($"The service sent a malformed {what}: {inner.Message}", status, null, null, null, requestId, inner);

    /// <summary>The connection broke while an answer that had begun (status and headers in) was being read.</summary>
    public static QwenApiException ConnectionCut(string what, Exception inner, HttpStatusCode? status, string? requestId, string? apiKey) =>
        new(Redact($"The connection was cut while reading the {what}: {inner.Message}", apiKey), status, null, null, null, requestId, inner);

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

    public static string? GetRequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;

    /// <summary><c>retry-after-ms</c> first, then <c>Retry-After</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? GetRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            // A hint beyond a day (or "Infinity") is as good as "not soon": kept, but bounded so it cannot overflow.
            return TimeSpan.FromMilliseconds(Math.Min(millis, TimeSpan.FromDays(1).TotalMilliseconds));
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        return null;
    }

    public static string Redact(string message, string? apiKey) =>
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
}
