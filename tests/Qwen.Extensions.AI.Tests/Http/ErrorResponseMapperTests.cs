using System.Net;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Http;

/// <summary>Non-2xx answers → <see cref="QwenApiException"/> with status, code, type, param, message and request id, on both paths; never the key.</summary>
public sealed class ErrorResponseMapperTests
{
    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    private static async Task<QwenApiException> FailAsync(CannedResponse canned, bool streaming)
    {
        // Retries (429/5xx) are the reliability suite's subject; here one answer maps to one exception.
        var handler = new FakeHttpHandler(canned);
        using var client = CreateWithoutRetries(handler);
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => GetAsync(client, Hi(), null, streaming));
        Assert.Single(handler.Requests);
        return ex;
    }

    public static TheoryData<int, string, string, string, string?, bool> ServiceErrors()
    {
        var data = new TheoryData<int, string, string, string, string?, bool>();
        foreach (var streaming in new[] { false, true })
        {
            data.Add(401, "invalid_api_key", "invalid_request_error", "Incorrect API key provided. ", null, streaming);
            data.Add(400, "invalid_parameter_error", "invalid_request_error", "<400> InternalError.Algo.InvalidParameter: Range of top_p should be (0.0, 1.0]", "top_p", streaming);
            data.Add(429, "limit_requests", "limit_requests", "Requests rate limit exceeded, please try again later.", null, streaming);
            data.Add(404, "model_not_found", "invalid_request_error", "The model `qwen-plux` does not exist or you do not have access to it.", "model", streaming);
            data.Add(500, "internal_error", "internal_error", "An internal error has occured, please try again later or contact service support.", null, streaming);
            data.Add(400, "data_inspection_failed", "data_inspection_failed", "Input data may contain inappropriate content.", null, streaming);
            data.Add(400, "Arrearage", "Arrearage", "Access denied, please make sure your account is in good standing.", null, streaming);
            data.Add(429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.", null, streaming);
            data.Add(503, "ModelUnavailable", "ModelUnavailable", "Model is unavailable, please try again later.", null, streaming);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ServiceErrors))]
    public async Task ErrorBodiesMapToQwenApiExceptionWithEveryField(int status, string code, string type, string message, string? param, bool streaming)
    {
        var ex = await FailAsync(CannedResponse.Error((HttpStatusCode)status, code, type, message, param), streaming);

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(type, ex.ErrorType);
        Assert.Equal(param, ex.Param);
        Assert.Equal(CannedResponse.DefaultRequestId, ex.RequestId);
        Assert.Equal(message, ex.ServiceMessage);
        Assert.Contains(message, ex.Message);
        Assert.Contains(code, ex.Message);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        Assert.Contains(CannedResponse.DefaultRequestId, ex.Message);
        Assert.DoesNotContain("sk-test", ex.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheSeedErrorBodyWithoutRequestIdTakesItFromTheHeader(bool streaming)
    {
        var ex = await FailAsync(CannedResponse.JsonFixture("Responses/error-invalid-api-key.json", HttpStatusCode.Unauthorized, requestId: "hdr-req-1"), streaming);

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("invalid_api_key", ex.ErrorCode);
        Assert.Equal("invalid_request_error", ex.ErrorType);
        Assert.Null(ex.Param);
        Assert.Equal("hdr-req-1", ex.RequestId);
        Assert.Equal("Incorrect API key provided. ", ex.ServiceMessage);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutTheHeaderTheRequestIdComesFromTheBody(bool streaming)
    {
        var ex = await FailAsync(
            CannedResponse.Json("""{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":"invalid_parameter_error"},"request_id":"body-req-7"}""", HttpStatusCode.BadRequest, requestId: null),
            streaming);

        Assert.Equal("body-req-7", ex.RequestId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheApiKeyEchoedByTheServiceIsRedactedFromMessageAndToString(bool streaming)
    {
        var ex = await FailAsync(
            CannedResponse.Error(HttpStatusCode.Unauthorized, "invalid_api_key", "invalid_request_error", $"Incorrect API key provided: {ApiKey}. "),
            streaming);

        Assert.DoesNotContain(ApiKey, ex.Message);
        Assert.DoesNotContain(ApiKey, ex.ToString());
        Assert.DoesNotContain(ApiKey, ex.ServiceMessage);
        Assert.Contains("***", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ANonJsonGatewayPageIsReportedWithItsStatusAndASnippet(bool streaming)
    {
        var canned = new CannedResponse
        {
            Status = HttpStatusCode.BadGateway,
            ContentType = "text/html",
            Body = "<html><body><h1>502 Bad Gateway</h1></body></html>"u8.ToArray(),
        };
        var ex = await FailAsync(canned, streaming);

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Null(ex.ErrorCode);
        Assert.Contains("502 Bad Gateway", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnEmptyErrorBodyIsReportedWithItsStatus(bool streaming)
    {
        var ex = await FailAsync(new CannedResponse { Status = HttpStatusCode.ServiceUnavailable }, streaming);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains("503", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetryAfterIsReadFromTheHeaders(bool streaming)
    {
        var canned = CannedResponse.Error(HttpStatusCode.TooManyRequests, "limit_requests", "limit_requests", "slow down");
        canned.Headers["retry-after-ms"] = "1500";
        var ex = await FailAsync(canned, streaming);

        Assert.Equal(TimeSpan.FromMilliseconds(1500), ex.RetryAfter);
    }

    [Theory]
    [InlineData("0.2", 200)]
    [InlineData("1", 1000)]
    public async Task ASubSecondRetryAfterIsNotRoundedUp(string header, int expectedMs)
    {
        var canned = CannedResponse.Error(HttpStatusCode.TooManyRequests, "limit_requests", "limit_requests", "slow down");
        canned.Headers["Retry-After"] = header;
        var ex = await FailAsync(canned, streaming: false);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ex.RetryAfter);
    }

    [Fact]
    public async Task ANonStreamingBodyThatIsAnErrorDespite200Throws()
    {
        var ex = await FailAsync(
            CannedResponse.Json("""{"error":{"message":"Arrearage","type":"Arrearage","param":null,"code":"Arrearage"},"request_id":"r-200"}"""),
            streaming: false);
        Assert.Equal("Arrearage", ex.ErrorCode);
    }

    [Fact]
    public async Task AStreamingRequestAnsweredWithAJsonErrorBodyReportsThatError()
    {
        var ex = await FailAsync(
            CannedResponse.Json("""{"error":{"message":"Arrearage","type":"Arrearage","param":null,"code":"Arrearage"},"request_id":"r-200"}"""),
            streaming: true);
        Assert.Equal("Arrearage", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.DoesNotContain("[DONE]", ex.Message);
    }

    [Fact]
    public async Task AStreamingRequestAnsweredWithJsonThatIsNoErrorSaysSoInsteadOfAMissingDone()
    {
        var ex = await FailAsync(CannedResponse.Json("""{"id":"chatcmpl-x","model":"qwen-plus","choices":[]}"""), streaming: true);
        Assert.Contains("not a JSON error", ex.Message);
        Assert.DoesNotContain("[DONE]", ex.Message);
    }

    [Fact]
    public async Task AMalformedSuccessBodyIsAQwenApiException()
    {
        var ex = await FailAsync(CannedResponse.Json("""{"choices":[{"message":{"content":"cut"""), streaming: false);
        Assert.Contains("malformed", ex.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task ASuccessBodyWithoutChoicesIsAQwenApiException()
    {
        var ex = await FailAsync(CannedResponse.Json("""{"id":"chatcmpl-x","model":"qwen-plus","choices":[]}"""), streaming: false);
        Assert.Contains("choices", ex.Message);
    }
}
