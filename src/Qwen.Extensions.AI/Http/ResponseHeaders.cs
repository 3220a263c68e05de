namespace Qwen.Extensions.AI.Http;

/// <summary>The response headers the client reads: the request id and the service's retry hint.</summary>
internal static class ResponseHeaders
{
    public static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;

    /// <summary><c>retry-after-ms</c> first, then <c>Retry-After</c> (seconds, fractional seconds such as <c>0.2</c>, or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
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

        // HTTP allows only whole seconds, so the typed parser drops "0.2"; a sub-second hint is still honoured, not rounded up.
        if (response.Headers.NonValidated.TryGetValues("Retry-After", out var raw)
            && double.TryParse(raw.FirstOrDefault(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromMilliseconds(Math.Min(seconds * 1000, TimeSpan.FromDays(1).TotalMilliseconds));
        }

        return null;
    }
}
