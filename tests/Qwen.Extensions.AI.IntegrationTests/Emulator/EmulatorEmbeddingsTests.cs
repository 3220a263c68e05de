using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>
/// <c>POST /embeddings</c> on the emulator over real sockets: deterministic, similarity-preserving vectors of the documented sizes,
/// the service's limits and error bodies, and <see cref="QwenEmbeddingGenerator"/> against it alone and inside MEAI's
/// <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/> middleware (distributed cache, OpenTelemetry, logging).
/// </summary>
public sealed class EmulatorEmbeddingsTests : IAsyncLifetime
{
    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task TheSameTextGivesTheSameUnitVector()
    {
        using var generator = _emulator.CreateEmbeddingGenerator();

        var first = await generator.GenerateAsync(["The cat sat on the mat."], cancellationToken: TestTimeout.Token);
        var second = await generator.GenerateAsync(["The cat sat on the mat."], cancellationToken: TestTimeout.Token);

        Assert.Equal(1024, first[0].Vector.Length);
        Assert.Equal(first[0].Vector.ToArray(), second[0].Vector.ToArray());
        Assert.Equal(1.0, Math.Sqrt(Dot(first[0].Vector.Span, first[0].Vector.Span)), 3);
        Assert.Equal("text-embedding-v4", first[0].ModelId);
        Assert.True(first.Usage!.InputTokenCount > 0);
    }

    [Fact]
    public async Task SimilarTextsAreCloserThanUnrelatedOnes()
    {
        using var generator = _emulator.CreateEmbeddingGenerator();

        var result = await generator.GenerateAsync(
            ["The cat sat on the mat.", "A cat was sitting on the mat.", "Quarterly revenue grew by twelve percent."], cancellationToken: TestTimeout.Token);

        var similar = Cosine(result[0].Vector.Span, result[1].Vector.Span);
        var unrelated = Cosine(result[0].Vector.Span, result[2].Vector.Span);
        Assert.True(similar > unrelated + 0.2, $"similar {similar}, unrelated {unrelated}");
    }

    [Theory]
    [InlineData("text-embedding-v4", 2048)]
    [InlineData("text-embedding-v4", 64)]
    [InlineData("text-embedding-v3", 512)]
    public async Task DimensionsShapeTheVectors(string model, int dimensions)
    {
        using var generator = _emulator.CreateEmbeddingGenerator(model);

        var result = await generator.GenerateAsync(["hello"], new EmbeddingGenerationOptions { Dimensions = dimensions }, TestTimeout.Token);

        Assert.Equal(dimensions, result[0].Vector.Length);
        Assert.Equal(dimensions, _emulator.LastRequest!.GetProperty("dimensions")!.Value.GetInt32());
    }

    [Fact]
    public async Task TwentyFiveInputsGoInBatchesOfTenAndComeBackInOrder()
    {
        using var generator = _emulator.CreateEmbeddingGenerator();
        var inputs = Enumerable.Range(0, 25).Select(i => $"document number {i}").ToArray();

        var batched = await generator.GenerateAsync(inputs, cancellationToken: TestTimeout.Token);
        var one = await generator.GenerateAsync([inputs[17]], cancellationToken: TestTimeout.Token);

        Assert.Equal(25, batched.Count);
        Assert.Equal(one[0].Vector.ToArray(), batched[17].Vector.ToArray());
        Assert.Equal([10, 10, 5, 1], _emulator.Requests.Select(r => r.GetProperty("input")!.Value.GetArrayLength()));
    }

    [Fact]
    public async Task ALowerServiceLimitIsLearnedFromThe400()
    {
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { EmbeddingBatchLimit = 4 });
        using var generator = emulator.CreateEmbeddingGenerator();
        var inputs = Enumerable.Range(0, 10).Select(i => $"text {i}").ToArray();

        var result = await generator.GenerateAsync(inputs, cancellationToken: TestTimeout.Token);

        Assert.Equal(10, result.Count);
        Assert.Equal([10, 4, 4, 2], emulator.Requests.Select(r => r.GetProperty("input")!.Value.GetArrayLength()));
        Assert.Equal([400, 200, 200, 200], emulator.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task ElevenInputsGetTheCapturedBatchError()
    {
        var (status, body) = await PostAsync("""{"model":"text-embedding-v4","input":["1","2","3","4","5","6","7","8","9","10","11"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("InvalidParameter", error.GetProperty("code").GetString());
        Assert.Equal("InvalidParameter", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(
            "<400> InternalError.Algo.InvalidParameter: Value error, batch size is invalid, it should not be larger than 10.: input.contents",
            error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task TheAnswerHasTheCapturedShape()
    {
        var (status, body) = await PostAsync("""{"model":"text-embedding-v4","input":"我想知道迪士尼的退票政策","dimensions":1024,"encoding_format":"float"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["data", "model", "object", "usage", "id"], body.EnumerateObject().Select(p => p.Name));
        var item = Assert.Single(body.GetProperty("data").EnumerateArray().ToList());
        Assert.Equal(1024, item.GetProperty("embedding").GetArrayLength());
        Assert.Equal(0, item.GetProperty("index").GetInt32());
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(["prompt_tokens", "total_tokens"], body.GetProperty("usage").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("""{"model":"text-embedding-v4","input":["a"],"dimensions":100}""", 400, "InvalidParameter")]
    [InlineData("""{"model":"text-embedding-v3","input":["a"],"dimensions":2048}""", 400, "InvalidParameter")]
    [InlineData("""{"model":"text-embedding-v4","input":["a"],"encoding_format":"base64"}""", 400, "InvalidParameter")]
    [InlineData("""{"model":"text-embedding-v4","input":[]}""", 400, "InvalidParameter")]
    [InlineData("""{"model":"text-embedding-v4","input":[""]}""", 400, "InvalidParameter")]
    [InlineData("""{"input":["a"]}""", 400, "InvalidParameter")]
    [InlineData("""{"model":"qwen-plus","input":["a"]}""", 404, "model_not_found")]
    public async Task ServiceRulesAreEnforced(string request, int status, string code)
    {
        var (actual, body) = await PostAsync(request);

        Assert.Equal(status, (int)actual);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ServiceErrorsSurfaceAsQwenApiExceptionsWithoutTheKey()
    {
        using var generator = new QwenEmbeddingGenerator(new QwenClientOptions { ApiKey = "sk-wrong-key-0123456789", Endpoint = _emulator.Endpoint });

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => generator.GenerateAsync(["a"], cancellationToken: TestTimeout.Token));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("invalid_api_key", ex.ErrorCode);
        Assert.NotNull(ex.RequestId);
    }

    [Fact]
    public async Task TransientFailuresAreRetriedOverRealSockets()
    {
        _emulator.Enqueue(EmulatorReply.Fail(503, "ServiceUnavailable", "Service is busy."), EmulatorReply.Disconnect());
        var options = _emulator.CreateClientOptions("text-embedding-v4");
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        using var generator = new QwenEmbeddingGenerator(options);

        var result = await generator.GenerateAsync(["a"], cancellationToken: TestTimeout.Token);

        Assert.Single(result);
        Assert.Equal(3, _emulator.Requests.Count);
    }

    [Fact]
    public async Task WorksInsideMeaiMiddlewareCachingTelemetryAndLogging()
    {
        const string SourceName = "Qwen.Embeddings.Tests";
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (activities)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var logs = new CapturingLoggerProvider();
        IDistributedCache cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var generator = _emulator.CreateEmbeddingGenerator()
            .AsBuilder()
            .UseDistributedCache(cache)
            .UseOpenTelemetry(sourceName: SourceName)
            .UseLogging(logs)
            .Build();

        var first = await generator.GenerateAsync(["cached text"], cancellationToken: TestTimeout.Token);
        var second = await generator.GenerateAsync(["cached text"], cancellationToken: TestTimeout.Token);

        Assert.Equal(first[0].Vector.ToArray(), second[0].Vector.ToArray());
        Assert.Single(_emulator.Requests); // the second came from the cache
        Activity activity;
        lock (activities)
        {
            activity = Assert.Single(activities);
        }

        Assert.Contains("text-embedding-v4", activity.DisplayName, StringComparison.Ordinal);
        Assert.Contains(activity.TagObjects, t => Equals(t.Value, "qwen"));
        Assert.NotEmpty(logs.Entries);
        Assert.NotNull(generator.GetService<QwenEmbeddingGenerator>());
        Assert.Equal("qwen", generator.GetService<EmbeddingGeneratorMetadata>()!.ProviderName);
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * (double)b[i];
        }

        return sum;
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b));

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint + "/embeddings")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.ApiKey);
        using var response = await http.SendAsync(request, TestTimeout.Token);
        var text = await response.Content.ReadAsStringAsync(TestTimeout.Token);
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
