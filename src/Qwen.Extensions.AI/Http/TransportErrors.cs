using System.Globalization;

namespace Qwen.Extensions.AI.Http;

/// <summary>The exceptions for failures below the service's answer: timeouts (which option fired) and failed connections.</summary>
internal static class TransportErrors
{
    public static TimeoutException Timeout(string optionName, TimeSpan timeout, string what, string? requestId, Exception inner) =>
        new($"The Qwen request {what} within {Describe(timeout)} (QwenClientOptions.{optionName}). " +
            $"Raise QwenClientOptions.{optionName}, or set it to Timeout.InfiniteTimeSpan to turn it off." +
            (requestId is null ? string.Empty : $" (request id: {requestId})"),
            inner);

    public static TimeoutException HttpClientTimeout(TimeSpan timeout, Exception inner) =>
        new($"The Qwen request was cancelled by HttpClient.Timeout ({Describe(timeout)}) of the HttpClient given to QwenChatClient. " +
            "Set that HttpClient's Timeout to Timeout.InfiniteTimeSpan and use QwenClientOptions.RequestTimeout, StreamingHeadersTimeout and StreamingIdleTimeout instead.",
            inner);

    public static QwenApiException ConnectionFailed(Uri uri, Exception inner, string apiKey) =>
        new(ErrorResponseMapper.Redact($"Could not get an answer from {uri.GetLeftPart(UriPartial.Authority)}: {inner.Message}", apiKey), null, null, null, null, null, inner)
        {
            IsConnectionFailure = true,
        };

    private static string Describe(TimeSpan timeout) =>
        timeout == System.Threading.Timeout.InfiniteTimeSpan ? "no limit"
        : timeout.TotalSeconds >= 1 ? timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : timeout.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
