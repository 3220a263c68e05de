using System.Globalization;

namespace Qwen.Extensions.AI.Http;

/// <summary>The response headers the client reads: the request id and the service's retry hint.</summary>
internal static class ResponseHeaders
{
    public static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;

    /// <summary><c>retry-after-ms</c> first, then <c>Retry-After</c> (seconds or an HTTP date).</summary>
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

        return null;
    }
}
