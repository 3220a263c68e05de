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

    /// <summary>Error codes (or types) of account states: billing, free-tier-only mode, a spent plan quota.</summary>
    private static readonly string[] AccountStateCodes =
        ["Arrearage", "AllocationQuota.FreeTierOnly", "PrepaidBillOverdue", "PostpaidBillOverdue", "CommodityNotPurchased", "QuotaExhausted"];

    /// <summary>Message phrases of account states (DashScope reuses codes, so the message is checked too).</summary>
    private static readonly string[] AccountStatePhrases = ["free tier", "free allocated quota", "arrear", "overdue", "quota has been exhausted"];

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

    /// <summary>
    /// Whether the failure is transient: one of the retried statuses, or a connection failure before any response. An account state
    /// (<see cref="IsAccountState"/>) is never retried, whatever its status.
    /// </summary>
    public static bool IsRetryable(QwenApiException error)
    {
        if (error.StatusCode is not { } status)
        {
            return error.IsConnectionFailure && (error.InnerException is not HttpRequestException connection || IsTransient(connection));
        }

        if (IsAccountState(error.ErrorCode, error.ErrorType, error.ServiceMessage))
        {
            return false;
        }

        return status switch
        {
            // Includes 429 insufficient_quota / Throttling.AllocationQuota: DashScope's tokens-per-minute throttle, which clears
            // within about a minute (dashscope-more.md section 8), so it takes the normal backoff like any other throttle.
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => true,
            HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => true,

            // The Responses API reports a rate limit as HTTP 200 with status "failed" (dashscope-more.md 1.10): retried like a 429.
            HttpStatusCode.OK => IsRateLimitMessage(error.ServiceMessage),
            _ => false,
        };
    }

    /// <summary>Whether a failure reported with HTTP 200 is the Responses API's rate limit ("... rate limit exceeded, please try again later.").</summary>
    public static bool IsRateLimitMessage(string? message) =>
        message is not null && message.Contains("rate limit", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A failure that waiting will not fix, because it is the account's state rather than its rate: <c>Arrearage</c>,
    /// <c>AllocationQuota.FreeTierOnly</c>, <c>PrepaidBillOverdue</c>, <c>PostpaidBillOverdue</c>, <c>CommodityNotPurchased</c>,
    /// <c>QuotaExhausted</c> in the error <c>code</c> or <c>type</c>, or a message naming the free tier, arrears, an overdue bill or
    /// an exhausted quota. <c>insufficient_quota</c> and <c>Throttling.*</c> are rate throttles, not account states.
    /// </summary>
    public static bool IsAccountState(string? code, string? type, string? message) =>
        IsAccountStateCode(code) || IsAccountStateCode(type) || (message is not null && NamesAccountState(message));

    private static bool IsAccountStateCode(string? code) =>
        !string.IsNullOrEmpty(code) && Array.Exists(AccountStateCodes, c => code.Equals(c, StringComparison.OrdinalIgnoreCase));

    private static bool NamesAccountState(string message) =>
        Array.Exists(AccountStatePhrases, p => message.Contains(p, StringComparison.OrdinalIgnoreCase));

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
