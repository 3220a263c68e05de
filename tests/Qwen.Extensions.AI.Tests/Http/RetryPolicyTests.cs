using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Qwen.Extensions.AI.Http;

namespace Qwen.Extensions.AI.Tests.Http;

public sealed class RetryPolicyTests
{
    private static readonly TimeSpan FirstBackoffMin = TimeSpan.FromMilliseconds(375);
    private static readonly TimeSpan FirstBackoffMax = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Throttled429ThenSuccessRetriesOnceAfterTheFirstBackoff()
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.TooManyRequests, """{"error":{"message":"Requests rate limit exceeded","type":"limit_requests","code":"limit_requests"}}""").ThenCompletion("ok");
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock);

        var response = await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, handler.RequestCount);
        var delay = Assert.Single(clock.Delays);
        Assert.InRange(delay, FirstBackoffMin, FirstBackoffMax);
    }

    [Fact]
    public async Task TwoOverloads503ThenSuccessBacksOffExponentially()
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStatus(HttpStatusCode.ServiceUnavailable).ThenCompletion("ok");
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock);

        var response = await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal("ok", response.Text);
        Assert.Equal(3, handler.RequestCount);
        Assert.Equal(2, clock.Delays.Count);
        Assert.InRange(clock.Delays[0], FirstBackoffMin, FirstBackoffMax);
        Assert.InRange(clock.Delays[1], TimeSpan.FromMilliseconds(750), TimeSpan.FromMilliseconds(1000));
    }

    [Fact]
    public async Task ServerErrorOnEveryAttemptGivesUpAfterTheLimitWithTheLastError()
    {
        var attempt = 0;
        var handler = new FakeHttpHandler().Always((_, _) =>
        {
            attempt++;
            return Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.InternalServerError, """{"error":{"message":"internal","type":"internal_error","code":"internal_error"}}""", $"req-{attempt}"));
        });
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal(3, handler.RequestCount); // 1 + the default 2 retries
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal("internal_error", ex.ErrorCode);
        Assert.Equal("req-3", ex.RequestId);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task TransientStatusIsRetried(HttpStatusCode status)
    {
        var handler = new FakeHttpHandler().ThenStatus(status).ThenCompletion();
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal(2, handler.RequestCount);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.NotImplemented)]
    public async Task ClientOrPermanentStatusIsNeverRetried(HttpStatusCode status)
    {
        var handler = new FakeHttpHandler().ThenStatus(status).ThenCompletion();
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(1, handler.RequestCount);
    }

    /// <summary>DashScope's tokens-per-minute throttle (dashscope-more.md 8.3): it clears within a minute, so it takes the normal backoff.</summary>
    [Theory]
    [InlineData("""{"error":{"code":"insufficient_quota","message":"You exceeded your current quota, please check your plan and billing details. For details, see: https://help.aliyun.com/zh/model-studio/error-code#token-limit","param":null,"type":"insufficient_quota"},"request_id":"57553be3-dea8-49f1-ba1e-7a820c152999"}""")]
    [InlineData("""{"message":"Allocated quota exceeded, please increase your quota limit. For details, see: https://www.alibabacloud.com/help/en/model-studio/error-code#token-limit","type":"insufficient_quota","code":"insufficient_quota"}""")]
    [InlineData("""{"code":"Throttling.AllocationQuota","message":"Allocated quota exceeded, please increase your quota limit.","request_id":"r"}""")]
    public async Task InsufficientQuota429IsATokenThrottleRetriedWithTheNormalBackoff(string body)
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.TooManyRequests, body).ThenCompletion("ok");
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock);

        var response = await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, handler.RequestCount);
        var delay = Assert.Single(clock.Delays);
        Assert.InRange(delay, FirstBackoffMin, FirstBackoffMax); // the normal backoff, no fixed 60-s wait
    }

    /// <summary>Account states are never retried, whatever the status; the code, the type and the message are all checked.</summary>
    [Theory]
    [InlineData(429, "Arrearage", "Arrearage", "Access denied, please make sure your account is in good standing.")]
    [InlineData(400, "Arrearage", "Arrearage", "Access denied, please make sure your account is in good standing.")]
    [InlineData(403, "AllocationQuota.FreeTierOnly", "AllocationQuota.FreeTierOnly", "The free tier of the model has been exhausted.")]
    [InlineData(429, "AllocationQuota.FreeTierOnly", "AllocationQuota.FreeTierOnly", "The free tier of the model has been exhausted.")]
    [InlineData(429, "PrepaidBillOverdue", "PrepaidBillOverdue", "The prepaid bill is overdue.")]
    [InlineData(429, "PostpaidBillOverdue", "PostpaidBillOverdue", "The postpaid bill is overdue.")]
    [InlineData(429, "CommodityNotPurchased", "CommodityNotPurchased", "Commodity has not purchased yet.")]
    [InlineData(429, "QuotaExhausted", "QuotaExhausted", "Your token-plan 1-week quota has been exhausted. The quota will reset at 09-19 07:14:00 UTC.")]
    [InlineData(429, "insufficient_quota", "Arrearage", "Access denied.")] // the type names the state
    [InlineData(429, "Throttling.AllocationQuota", "insufficient_quota", "Free allocated quota exceeded, the free tier is used up.")] // the message does
    [InlineData(503, null, "insufficient_quota", "Your account is in arrears.")]
    public async Task AccountStatesAreNeverRetriedWhateverTheStatus(int status, string? code, string type, string message)
    {
        var body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":" + (code is null ? "null" : "\"" + code + "\"") + "}}";
        var handler = new FakeHttpHandler().ThenStatus((HttpStatusCode)status, body).ThenCompletion();
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(1, handler.RequestCount);
        Assert.Empty(clock.Delays);
    }

    [Theory]
    [InlineData("limit_requests")]
    [InlineData("Throttling.RateQuota")]
    [InlineData("Throttling.AllocationQuota")]
    public async Task RateLimit429IsRetried(string code)
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.TooManyRequests, "{\"error\":{\"message\":\"slow down\",\"type\":\"t\",\"code\":\"" + code + "\"}}").ThenCompletion();
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal(2, handler.RequestCount);
    }

    [Fact]
    public async Task RetryAfterMsIsWaitedExactlyAndWinsOverRetryAfter()
    {
        var handler = new FakeHttpHandler()
            .ThenStatus(HttpStatusCode.TooManyRequests, configure: r =>
            {
                r.Headers.TryAddWithoutValidation("retry-after-ms", "1500");
                r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(9));
            })
            .ThenCompletion();
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock);

        await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal([TimeSpan.FromMilliseconds(1500)], clock.Delays);
    }

    [Fact]
    public async Task RetryAfterSecondsIsWaited()
    {
        var handler = new FakeHttpHandler()
            .ThenStatus(HttpStatusCode.ServiceUnavailable, configure: r => r.Headers.TryAddWithoutValidation("Retry-After", "3"))
            .ThenCompletion();
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock);

        await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal([TimeSpan.FromSeconds(3)], clock.Delays);
    }

    [Fact]
    public async Task RetryAfterHttpDateIsWaitedUntilThatTime()
    {
        var handler = new FakeHttpHandler()
            .ThenStatus(HttpStatusCode.TooManyRequests, configure: r => r.Headers.TryAddWithoutValidation("Retry-After", RecordingTimeProvider.Now.AddSeconds(7).ToString("R")))
            .ThenCompletion();
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock);

        await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal([TimeSpan.FromSeconds(7)], clock.Delays);
    }

    [Fact]
    public async Task RetryAfterLongerThan60SecondsSurfacesTheErrorWithTheHint()
    {
        var handler = new FakeHttpHandler()
            .ThenStatus(HttpStatusCode.TooManyRequests, configure: r => r.Headers.TryAddWithoutValidation("Retry-After", "120"))
            .ThenCompletion();
        var clock = new RecordingTimeProvider();
        var logs = new CapturingLoggerProvider();
        using var client = TestClient.WithClock(handler, clock, o => o.LoggerFactory = logs);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Equal(1, handler.RequestCount);
        Assert.Empty(clock.Delays);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Text.Contains("120", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetryAfterOfExactly60SecondsIsWaited()
    {
        var handler = new FakeHttpHandler()
            .ThenStatus(HttpStatusCode.TooManyRequests, configure: r => r.Headers.TryAddWithoutValidation("retry-after-ms", "60000"))
            .ThenCompletion();
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock);

        await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal([TimeSpan.FromSeconds(60)], clock.Delays);
    }

    [Fact]
    public async Task MaxRetriesZeroTurnsRetriesOff()
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenCompletion();
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider(), o => o.MaxRetries = 0);

        await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task BackoffDoublesFromTheBaseDelayAndIsCappedAt8Seconds()
    {
        var handler = new FakeHttpHandler().Always((_, _) => Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.BadGateway, "<html>bad gateway</html>")));
        var clock = new RecordingTimeProvider();
        using var client = TestClient.WithClock(handler, clock, o =>
        {
            o.MaxRetries = 5;
            o.RetryBaseDelay = TimeSpan.FromSeconds(2);
        });

        await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal(6, handler.RequestCount);
        double[] nominal = [2, 4, 8, 8, 8];
        Assert.Equal(nominal.Length, clock.Delays.Count);
        for (var i = 0; i < nominal.Length; i++)
        {
            Assert.InRange(clock.Delays[i].TotalSeconds, nominal[i] * 0.75, nominal[i]);
        }
    }

    [Fact]
    public void BackoffJitterTakesOffAtMostAQuarter()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), RetryPolicy.Backoff(1, TimeSpan.FromMilliseconds(500), 0));
        Assert.Equal(TimeSpan.FromMilliseconds(375), RetryPolicy.Backoff(1, TimeSpan.FromMilliseconds(500), 1));
        Assert.Equal(TimeSpan.FromSeconds(8), RetryPolicy.Backoff(30, TimeSpan.FromMilliseconds(500), 0));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.Backoff(3, TimeSpan.Zero, 0.5));
    }

    [Fact]
    public async Task ConnectionFailureBeforeAnyResponseIsRetried()
    {
        var handler = new FakeHttpHandler()
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (scripted)"))
            .ThenCompletion("ok");
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        var response = await client.GetResponseAsync(TestClient.Hello);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, handler.RequestCount);
    }

    [Fact]
    public async Task ConnectionFailureOnEveryAttemptSurfacesAsQwenApiExceptionWrappingIt()
    {
        var handler = new FakeHttpHandler().Always((_, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely (scripted)."));
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal(3, handler.RequestCount);
        Assert.Null(ex.StatusCode);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Contains("prematurely", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsFailureIsNotRetried()
    {
        var handler = new FakeHttpHandler().Always((_, _) => throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established (scripted)."));
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal(1, handler.RequestCount);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task Streaming503BeforeHeadersIsRetried()
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStream(Payloads.Reply("Hel", "lo"));
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        var updates = await TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello));

        Assert.Equal("Hello", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(2, handler.RequestCount);
    }

    [Fact]
    public async Task StreamCutAfterOutputIsNeverRetried()
    {
        var handler = new FakeHttpHandler()
            .Then(() => FakeHttpHandler.Sse(new ScriptedStream(Payloads.SseBytes(Payloads.Chunk("Hel")), StreamEnd.Reset), "req-cut"))
            .ThenStream(Payloads.Reply("Hello"));

        // The real clock: RecordingTimeProvider fires every timer at once, so on a loaded machine a stream timeout could beat the
        // cut and the test would see a TimeoutException. No retry delay is involved here (nothing may be retried).
        using var client = TestClient.Create(handler);
        var received = new List<string>();

        var ex = await Assert.ThrowsAsync<QwenApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(TestClient.Hello))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Hel"], received);
        Assert.Equal(1, handler.RequestCount);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal("req-cut", ex.RequestId);
        Assert.IsType<IOException>(ex.InnerException);
    }

    [Fact]
    public async Task EachRetryIsLoggedAtWarningWithStatusAndRequestId()
    {
        var handler = new FakeHttpHandler()
            .Then(() => FakeHttpHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error":{"message":"overloaded","type":"t","code":"ModelUnavailable"}}""", "req-503"))
            .ThenCompletion();
        var logs = new CapturingLoggerProvider();
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider(), o => o.LoggerFactory = logs);

        await client.GetResponseAsync(TestClient.Hello);

        var entry = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("503", entry.Text, StringComparison.Ordinal);
        Assert.Contains("ModelUnavailable", entry.Text, StringComparison.Ordinal);
        Assert.Contains("req-503", entry.Text, StringComparison.Ordinal);
        Assert.Contains("retry 1 of 2", entry.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClient.ApiKey, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAttemptSendsTheSameBodyAndKey()
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.BadGateway).ThenStatus(HttpStatusCode.GatewayTimeout).ThenCompletion();
        using var client = TestClient.WithClock(handler, new RecordingTimeProvider());

        await client.GetResponseAsync(TestClient.Hello, new ChatOptions { Temperature = 0.5f });

        Assert.Equal(3, handler.Bodies.Count);
        Assert.All(handler.Bodies, b => Assert.Equal(handler.Bodies[0], b));
        Assert.Contains("\"temperature\":0.5", handler.Bodies[0], StringComparison.Ordinal);
        Assert.All(handler.AuthorizationHeaders, h => Assert.Equal("Bearer " + TestClient.ApiKey, h));
    }
}
