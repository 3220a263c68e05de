using System.Net;

namespace Qwen.Extensions.AI.Http;

/// <summary>
/// Which failures are worth another attempt, and how long to wait first: the retry policy in code, as documented on
/// <see cref="QwenClientOptions.MaxRetries"/> and <see cref="QwenClientOptions.RetryBaseDelay"/> (and in docs/reliability.md).
/// The retry budget and logging are <see cref="QwenHttpSender"/>'s.
/// </summary>
internal static class RetryPolicy
{
    /// <summary>The longest computed backoff.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);

    /// <summary>The longest <c>retry-after-ms</c>/<c>Retry-After</c> hint that is waited out; a longer one surfaces the error.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>The share of a backoff that jitter may take off, so clients that failed together do not retry together.</summary>
    private const double Jitter = 0.25;

    /// <summary>Whether <paramref name="error"/> may be retried and, if so, after how long (the service's hint, else the backoff).</summary>
    public static bool TryGetDelay(QwenApiException error, int retry, TimeSpan baseDelay, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (!IsRetryable(error))
        {
            return false;
        }

        if (error.RetryAfter is { } hint)
        {
            if (hint > MaxRetryAfter)
            {
                return false;
            }

            delay = hint;
            return true;
        }

        delay = Backoff(retry, baseDelay, Random.Shared.NextDouble());
        return true;
    }

    /// <summary>Whether the failure is transient: one of the retried statuses, or a connection failure before any response.</summary>
    public static bool IsRetryable(QwenApiException error)
    {
        if (error.StatusCode is not { } status)
        {
            return error.IsConnectionFailure && (error.InnerException is not HttpRequestException connection || IsTransient(connection));
        }

        return status switch
        {
            HttpStatusCode.RequestTimeout => true,
            HttpStatusCode.TooManyRequests => !IsQuotaExhausted(error.ErrorCode, error.ServiceMessage),
            HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => true,
            _ => false,
        };
    }

    /// <summary>
    /// A 429 that waiting will not fix: <c>insufficient_quota</c>, <c>Arrearage</c>, free-tier-only or other quota codes (but not
    /// <c>Throttling.*</c> rate quotas such as <c>Throttling.RateQuota</c>), or the "exceeded your current quota" message.
    /// </summary>
    public static bool IsQuotaExhausted(string? code, string? message)
    {
        if (!string.IsNullOrEmpty(code))
        {
            if (code.Equals("insufficient_quota", StringComparison.OrdinalIgnoreCase)
                || code.Equals("Arrearage", StringComparison.OrdinalIgnoreCase)
                || code.Contains("FreeTierOnly", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (code.Contains("quota", StringComparison.OrdinalIgnoreCase) && !code.StartsWith("Throttling", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return message is not null
            && (message.Contains("exceeded your current quota", StringComparison.OrdinalIgnoreCase)
                || message.Contains("overdue payment", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Exponential backoff for the <paramref name="retry"/>-th retry (1-based), capped, less up to 25 % jitter.</summary>
    /// <param name="retry">1 for the first retry.</param>
    /// <param name="baseDelay">The first delay.</param>
    /// <param name="random">A number in [0, 1) that picks the jitter.</param>
    public static TimeSpan Backoff(int retry, TimeSpan baseDelay, double random)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (Jitter * random)));
    }

    /// <summary>Whether a connection failure (no HTTP response) is transient rather than a setup problem such as TLS or a proxy.</summary>
    public static bool IsTransient(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError or HttpRequestError.UserAuthenticationError
            or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.VersionNegotiationError or HttpRequestError.InvalidResponse => false,
        _ => true,
    };
}
