using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests;

/// <summary>
/// <see cref="QwenEmbeddingGenerator"/> over the fake handler: the request body (golden), the captured response shape, options and
/// extras, batching and re-splitting, errors, retries and redaction. Wire facts: shared/docs/dashscope-more.md §2.
/// </summary>
public class QwenEmbeddingGeneratorTests
{
    /// <summary>The captured response of §2.3 (second capture), with the vector shortened to four values.</summary>
    private const string CapturedResponse =
        """{"data":[{"embedding":[0.0026341788470745087,-0.03762197867035866,-0.047639328986406326,-0.03625597432255745],"index":0,"object":"embedding"}],"model":"text-embedding-v4","object":"list","usage":{"prompt_tokens":8,"total_tokens":8},"id":"e198e2e1-3c27-4839-b7a1-4d54ea0d9652"}""";

    private const string BatchTooLarge =
        """{"error":{"code":"InvalidParameter","param":null,"message":"<400> InternalError.Algo.InvalidParameter: Value error, batch size is invalid, it should not be larger than {0}.: input.contents","type":"InvalidParameter"},"request_id":"r-400"}""";

    [Fact]
    public async Task SendsTheDocumentedBodyAndReadsTheCapturedAnswer()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedResponse, requestId: null));
        using var generator = Create(handler);

        var result = await generator.GenerateAsync(["我想知道迪士尼的退票政策"], new EmbeddingGenerationOptions { Dimensions = 1024 });

        var request = handler.SingleRequest;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/embeddings", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer " + ApiKey, request.Header("Authorization"));
        JsonAssert.Equal("""{"model":"text-embedding-v4","input":["我想知道迪士尼的退票政策"],"dimensions":1024,"encoding_format":"float"}""", request.BodyText);
        Assert.Contains("我想知道", request.BodyText, StringComparison.Ordinal); // not \u-escaped

        var embedding = Assert.Single(result);
        Assert.Equal([0.0026341788470745087f, -0.03762197867035866f, -0.047639328986406326f, -0.03625597432255745f], embedding.Vector.ToArray());
        Assert.Equal("text-embedding-v4", embedding.ModelId);
        Assert.Equal(8, result.Usage?.InputTokenCount);
        Assert.Equal(8, result.Usage?.TotalTokenCount);
        Assert.Equal("e198e2e1-3c27-4839-b7a1-4d54ea0d9652", result.AdditionalProperties?[QwenPropertyNames.RequestId]);
    }

    [Fact]
    public async Task LeavesDimensionsOutWhenNotAskedAndUsesTheDefaultModel()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(Answer(1, 4)));
        using var generator = new QwenEmbeddingGenerator(new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0 }, new HttpClient(handler));

        await generator.GenerateAsync(["a"]);

        JsonAssert.Equal("""{"model":"text-embedding-v4","input":["a"],"encoding_format":"float"}""", handler.SingleRequest.BodyText);
    }

    [Fact]
    public async Task ModelIdOnTheRequestWins()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(Answer(1, 4, "text-embedding-v3")));
        using var generator = Create(handler);

        var result = await generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "text-embedding-v3", Dimensions = 512 });

        Assert.Equal("text-embedding-v3", handler.SingleRequest.Json.GetProperty("model").GetString());
        Assert.Equal(512, handler.SingleRequest.Json.GetProperty("dimensions").GetInt32());
        Assert.Equal("text-embedding-v3", result[0].ModelId);
    }

    [Theory]
    [InlineData("text-embedding-v4", 100)]
    [InlineData("text-embedding-v4", 4096)]
    [InlineData("text-embedding-v3", 2048)]
    [InlineData("text-embedding-v2", 1024)]
    public async Task RefusesASizeTheModelDoesNotDocumentBeforeSending(string model, int dimensions)
    {
        var handler = new FakeHttpHandler();
        using var generator = Create(handler);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = model, Dimensions = dimensions }));

        Assert.Contains("EmbeddingGenerationOptions.Dimensions", ex.Message, StringComparison.Ordinal);
        Assert.Contains(model, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.RequestCount);
    }

    [Fact]
    public async Task AcceptsTheChinaPageSizesForV3AndAnySizeForAnUnknownModel()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(Answer(1, 4)), CannedResponse.Json(Answer(1, 4)));
        using var generator = Create(handler);

        await generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "text-embedding-v3", Dimensions = 64 });
        await generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "qwen3.7-text-embedding", Dimensions = 100 });

        Assert.Equal([64, 100], handler.Requests.Select(r => r.Json.GetProperty("dimensions").GetInt32()));
    }

    [Fact]
    public async Task NonPositiveDimensionsAreRefused()
    {
        using var generator = Create(new FakeHttpHandler());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { Dimensions = 0 }));
    }

    [Fact]
    public async Task ExtrasGoByWireNameWithTheChatPolicy()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(Answer(1, 4)));
        using var generator = Create(handler);
        var options = new EmbeddingGenerationOptions
        {
            Dimensions = 1024,
            AdditionalProperties = new()
            {
                ["text_type"] = "query",
                ["dimensions"] = 256.0, // an extra wins over the typed option, and 256.0 goes out as 256
                ["TraceTag"] = "app metadata, not sent",
            },
        };

        await generator.GenerateAsync(["a"], options);

        JsonAssert.Equal("""{"model":"text-embedding-v4","input":["a"],"encoding_format":"float","text_type":"query","dimensions":256}""", handler.SingleRequest.BodyText);
    }

    [Theory]
    [InlineData("model", "EmbeddingGenerationOptions.ModelId")]
    [InlineData("input", "GenerateAsync")]
    [InlineData("encoding_format", "float")]
    public async Task RefusesExtrasTheClientWritesItself(string key, string hint)
    {
        var handler = new FakeHttpHandler();
        using var generator = Create(handler);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [key] = "x" } }));

        Assert.Contains($"EmbeddingGenerationOptions.AdditionalProperties[\"{key}\"] cannot be set", ex.Message, StringComparison.Ordinal);
        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.RequestCount);
    }

    [Fact]
    public async Task AnExtraSizeIsCheckedAgainstTheModelToo()
    {
        using var generator = Create(new FakeHttpHandler());

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { AdditionalProperties = new() { ["dimensions"] = 100 } }));

        Assert.Contains("AdditionalProperties[\"dimensions\"]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsBatchesOfTheDocumentedLimitAndJoinsThemInOrder()
    {
        var handler = new FakeHttpHandler();
        handler.Always((request, _) => Task.FromResult(AnswerTo(request, reverse: true)));
        using var generator = Create(handler);
        var inputs = Enumerable.Range(0, 23).Select(i => "text " + i.ToString(CultureInfo.InvariantCulture)).ToArray();

        var result = await generator.GenerateAsync(inputs);

        Assert.Equal([10, 10, 3], handler.Requests.Select(r => r.Json.GetProperty("input").GetArrayLength()));
        Assert.Equal(23, result.Count);
        for (var i = 0; i < 23; i++)
        {
            Assert.Equal(Marker("text " + i.ToString(CultureInfo.InvariantCulture)), result[i].Vector.Span[0]);
        }

        Assert.Equal(23, result.Usage?.InputTokenCount);
        Assert.Equal(23, result.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task ResplitsAtTheLimitA400NamesAndRemembersIt()
    {
        var handler = new FakeHttpHandler();
        handler.Then(() => FakeHttpHandler.Json(HttpStatusCode.BadRequest, BatchTooLarge.Replace("{0}", "4", StringComparison.Ordinal)));
        handler.Always((request, _) => Task.FromResult(AnswerTo(request)));
        using var generator = Create(handler);
        var inputs = Enumerable.Range(0, 10).Select(i => "t" + i.ToString(CultureInfo.InvariantCulture)).ToArray();

        var result = await generator.GenerateAsync(inputs);
        await generator.GenerateAsync(inputs);

        Assert.Equal([10, 4, 4, 2, 4, 4, 2], handler.Requests.Select(r => r.Json.GetProperty("input").GetArrayLength()));
        Assert.Equal(inputs.Select(Marker), result.Select(e => e.Vector.Span[0]));
    }

    [Fact]
    public async Task ABatchLimitAtOrAboveTheBatchIsAnError()
    {
        var handler = new FakeHttpHandler();
        handler.Then(() => FakeHttpHandler.Json(HttpStatusCode.BadRequest, BatchTooLarge.Replace("{0}", "10", StringComparison.Ordinal)));
        using var generator = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => generator.GenerateAsync(["a", "b"]));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("InvalidParameter", ex.ErrorCode);
        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task RetriesATransientFailureLikeChat()
    {
        var handler = new FakeHttpHandler();
        handler.ThenStatus(HttpStatusCode.ServiceUnavailable);
        handler.Then(() => FakeHttpHandler.Json(HttpStatusCode.OK, Answer(1, 4)));
        var clock = new RecordingTimeProvider();
        using var generator = new QwenEmbeddingGenerator(new QwenClientOptions { ApiKey = ApiKey, TimeProvider = clock, RequestTimeout = Timeout.InfiniteTimeSpan }, new HttpClient(handler));

        var result = await generator.GenerateAsync(["a"]);

        Assert.Single(result);
        Assert.Equal(2, handler.RequestCount);
    }

    [Fact]
    public async Task ErrorsAreTypedAndTheKeyIsRedacted()
    {
        var handler = new FakeHttpHandler();
        handler.ThenStatus(HttpStatusCode.Unauthorized, $$"""{"error":{"message":"Incorrect API key provided: {{ApiKey}}","type":"invalid_request_error","code":"invalid_api_key"},"request_id":"r-401"}""");
        using var generator = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("invalid_api_key", ex.ErrorCode);
        Assert.Equal("r-401", ex.RequestId);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsRetriesUnderItsOwnCategoryWithoutTheKey()
    {
        var handler = new FakeHttpHandler();
        handler.ThenStatus(HttpStatusCode.InternalServerError);
        handler.Then(() => FakeHttpHandler.Json(HttpStatusCode.OK, Answer(1, 4)));
        using var logs = new CapturingLoggerProvider();
        using var generator = new QwenEmbeddingGenerator(
            new QwenClientOptions { ApiKey = ApiKey, LoggerFactory = logs, TimeProvider = new RecordingTimeProvider(), RequestTimeout = Timeout.InfiniteTimeSpan },
            new HttpClient(handler));

        await generator.GenerateAsync(["a"]);

        var entry = Assert.Single(logs.Entries, e => e.Category == typeof(QwenEmbeddingGenerator).FullName);
        Assert.DoesNotContain(ApiKey, entry.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorObjectInA200IsAnError()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json("""{"error":{"message":"model not found","type":"invalid_request_error","code":"model_not_found"}}"""));
        using var generator = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal("model_not_found", ex.ErrorCode);
    }

    [Theory]
    [InlineData("""{"data":[],"model":"text-embedding-v4"}""")]
    [InlineData("""{"model":"text-embedding-v4"}""")]
    [InlineData("""{"data":[{"embedding":[0.1],"index":3}]}""")]
    [InlineData("""{"data":[{"embedding":"not base64!","index":0}]}""")]
    [InlineData("""{"data":[{"embedding":[0.1,"x"],"index":0}]}""")]
    [InlineData("""{"data":[{"embedding":[0.1],"index":0},{"embedding":[0.2],"index":0}]}""")]
    [InlineData("""{"data":[{"embedding":[0.1""")]
    public async Task AMalformedAnswerIsAQwenApiException(string body)
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(body));
        using var generator = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => generator.GenerateAsync(["a"]));

        Assert.Contains("malformed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptsBase64VectorsAndAMissingIndexLeniently()
    {
        var floats = new[] { 0.5f, -0.25f, 1f };
        var bytes = new byte[floats.Length * 4];
        Buffer.BlockCopy(floats, 0, bytes, 0, bytes.Length);
        var handler = new FakeHttpHandler(CannedResponse.Json($$"""{"data":[{"embedding":"{{Convert.ToBase64String(bytes)}}"},{"embedding":[1,2]}],"model":"text-embedding-v4"}"""));
        using var generator = Create(handler);

        var result = await generator.GenerateAsync(["a", "b"]);

        Assert.Equal(floats, result[0].Vector.ToArray());
        Assert.Equal([1f, 2f], result[1].Vector.ToArray());
        Assert.Null(result.Usage);
    }

    [Fact]
    public async Task NoInputsMeansNoRequest()
    {
        var handler = new FakeHttpHandler();
        using var generator = Create(handler);

        var result = await generator.GenerateAsync([]);

        Assert.Empty(result);
        Assert.Equal(0, handler.RequestCount);
    }

    [Fact]
    public async Task ANullInputIsRefused()
    {
        using var generator = Create(new FakeHttpHandler());

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["a", null!]));
    }

    [Fact]
    public void GetServiceReturnsMetadata()
    {
        using var generator = new QwenEmbeddingGenerator(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "text-embedding-v3" }, new HttpClient(new FakeHttpHandler()));

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("qwen", metadata.ProviderName);
        Assert.Equal(QwenEndpoints.Singapore, metadata.ProviderUri);
        Assert.Equal("text-embedding-v3", metadata.DefaultModelId);
        Assert.Equal(1024, metadata.DefaultModelDimensions);
        Assert.Same(generator, generator.GetService<QwenEmbeddingGenerator>());
        Assert.NotNull(generator.GetService<HttpClient>());
        Assert.Null(generator.GetService<EmbeddingGeneratorMetadata>("key"));
        Assert.DoesNotContain(ApiKey, generator.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConstructionValidatesLikeTheChatClient()
    {
        Assert.Throws<ArgumentNullException>(() => new QwenEmbeddingGenerator(null!));
        Assert.Throws<ArgumentException>(() => new QwenEmbeddingGenerator(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = " " }));
        Assert.Throws<ArgumentException>(() => new QwenEmbeddingGenerator(new QwenClientOptions { ApiKey = ApiKey, Endpoint = new Uri("http://example.com/compatible-mode/v1") }));
    }

    private static QwenEmbeddingGenerator Create(FakeHttpHandler handler) =>
        new(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "text-embedding-v4", MaxRetries = 0 }, new HttpClient(handler));

    /// <summary>A value that identifies an input, put first in its vector so order can be checked.</summary>
    private static float Marker(string text) => text.Length + (text.GetHashCode(StringComparison.Ordinal) % 1000 / 1000f);

    /// <summary>An answer of <paramref name="count"/> vectors of <paramref name="dimensions"/> values.</summary>
    private static string Answer(int count, int dimensions, string model = "text-embedding-v4")
    {
        var data = string.Join(",", Enumerable.Range(0, count).Select(i =>
            $$"""{"embedding":[{{string.Join(",", Enumerable.Range(0, dimensions).Select(d => ((d + i) / 10.0).ToString(CultureInfo.InvariantCulture)))}}],"index":{{i}},"object":"embedding"}"""));
        return $$"""{"data":[{{data}}],"model":"{{model}}","object":"list","usage":{"prompt_tokens":{{count}},"total_tokens":{{count}}},"id":"id-{{count}}"}""";
    }

    /// <summary>Answers a request with one vector per input whose first value is the input's <see cref="Marker"/>, optionally in reverse order.</summary>
    private static HttpResponseMessage AnswerTo(HttpRequestMessage request, bool reverse = false)
    {
        using var body = JsonDocument.Parse(request.Content!.ReadAsStringAsync().GetAwaiter().GetResult());
        var inputs = body.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetString()!).ToList();
        var order = Enumerable.Range(0, inputs.Count);
        if (reverse)
        {
            order = order.Reverse();
        }

        var data = new StringBuilder();
        foreach (var i in order)
        {
            data.Append(data.Length == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $$"""{"embedding":[{{Marker(inputs[i]).ToString("R", CultureInfo.InvariantCulture)}},0.5],"index":{{i}},"object":"embedding"}""");
        }

        return FakeHttpHandler.Json(HttpStatusCode.OK, $$"""{"data":[{{data}}],"model":"text-embedding-v4","object":"list","usage":{"prompt_tokens":{{inputs.Count}},"total_tokens":{{inputs.Count}}},"id":"x"}""");
    }
}
