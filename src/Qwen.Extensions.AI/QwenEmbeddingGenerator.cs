using System.Collections.Concurrent;

namespace Qwen.Extensions.AI;

/// <summary>An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> for Qwen text-embedding models through DashScope's OpenAI-compatible mode.</summary>
/// <remarks>
/// Thread-safe; create one per endpoint and key and reuse it. <see cref="EmbeddingGenerationOptions.ModelId"/> and
/// <see cref="EmbeddingGenerationOptions.Dimensions"/> become <c>model</c> and <c>dimensions</c> (checked against the sizes documented for
/// <c>text-embedding-v1</c> to <c>v4</c>); other request fields go in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> by wire
/// name, with the same policy as chat. The inputs are sent in batches of the service's per-request limit (10 for v3/v4) and the
/// vectors come back in input order with the usage summed; if the service answers that a batch must not be larger than N, the
/// batch is split at N and the limit remembered for the model. Retries, timeouts, key redaction and errors are those of
/// <see cref="QwenChatClient"/> (see <see cref="QwenClientOptions.MaxRetries"/> and docs/reliability.md).
/// </remarks>
public sealed class QwenEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const string ProviderName = "qwen";

    /// <summary>The model used when <see cref="QwenClientOptions.DefaultModelId"/> is not set.</summary>
    private const string FallbackModelId = "text-embedding-v4";

    private readonly QwenHttpSender _sender;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string _defaultModelId;
    private readonly ConcurrentDictionary<string, int> _learnedBatchLimits = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="QwenEmbeddingGenerator"/> class.</summary>
    /// <param name="options">
    /// The endpoint, key and default model, for example <c>text-embedding-v4</c> (used when <see cref="QwenClientOptions.DefaultModelId"/>
    /// is <see langword="null"/>).
    /// </param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send with (never disposed by this generator), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="InvalidOperationException">No API key is set and <c>DASHSCOPE_API_KEY</c> is empty.</exception>
    /// <exception cref="ArgumentException">The endpoint is relative, not http(s), or plain http to a remote host; or the default model is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry or timeout setting is out of its range.</exception>
    public QwenEmbeddingGenerator(QwenClientOptions options, HttpClient? httpClient = null)
    {
        Throw.IfNull(options);
        var apiKey = options.ResolveValidApiKey();
        if (options.DefaultModelId is { } model && string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("QwenClientOptions.DefaultModelId is empty or whitespace; set a model such as 'text-embedding-v4' or leave it null.", nameof(options));
        }

        _sender = new QwenHttpSender(options, apiKey, httpClient, EmbeddingParameters.EndpointPath, typeof(QwenEmbeddingGenerator).FullName!);
        _defaultModelId = options.DefaultModelId ?? FallbackModelId;
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, _sender.Endpoint, _defaultModelId, EmbeddingParameters.Find(_defaultModelId)?.DefaultDimensions);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = AsList(values);
        var model = ResolveModel(options);
        var dimensions = EmbeddingRequestWriter.Validate(options, model);
        var known = EmbeddingParameters.Find(model);
        var expectedDimensions = dimensions ?? known?.DefaultDimensions ?? 1024;
        var batchSize = _learnedBatchLimits.TryGetValue(model, out var learned) ? learned : known?.MaxBatchSize ?? EmbeddingParameters.DefaultMaxBatchSize;

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long? promptTokens = null;
        long? totalTokens = null;
        string? requestIds = null;
        for (var start = 0; start < inputs.Count;)
        {
            var count = Math.Min(batchSize, inputs.Count - start);
            EmbeddingResponseReader.Batch batch;
            string? requestId;
            try
            {
                (batch, requestId) = await SendBatchAsync(inputs, start, count, options, model, expectedDimensions, cancellationToken).ConfigureAwait(false);
            }
            catch (QwenApiException ex) when (QwenErrors.TryGetBatchLimit(ex, out var limit) && limit < count)
            {
                // The service's limit is lower than the documented one: split this batch (and later ones) at what it said.
                _learnedBatchLimits[model] = limit;
                batchSize = limit;
                continue;
            }

            var modelId = batch.Model ?? model;
            foreach (var vector in batch.Vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = modelId });
            }

            promptTokens = Add(promptTokens, batch.PromptTokens);
            totalTokens = Add(totalTokens, batch.TotalTokens);
            if (requestId is not null)
            {
                requestIds = requestIds is null ? requestId : requestIds + ", " + requestId;
            }

            start += count;
        }

        if (promptTokens is not null || totalTokens is not null)
        {
            result.Usage = new UsageDetails { InputTokenCount = promptTokens, TotalTokenCount = totalTokens };
        }

        if (requestIds is not null)
        {
            (result.AdditionalProperties ??= new())[QwenPropertyNames.RequestId] = requestIds;
        }

        return result;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        return
            serviceKey is not null ? null :
            serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata :
            serviceType == typeof(HttpClient) ? _sender.HttpClient :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    /// <inheritdoc />
    public void Dispose() => _sender.Dispose();

    /// <summary>Returns a description of the generator with the endpoint and default model; never the API key.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"QwenEmbeddingGenerator({_sender.Endpoint}, model: {_defaultModelId})";

    private async Task<(EmbeddingResponseReader.Batch Batch, string? RequestId)> SendBatchAsync(
        IList<string> inputs, int start, int count, EmbeddingGenerationOptions? options, string model, int expectedDimensions, CancellationToken cancellationToken)
    {
        using var body = new PooledBufferWriter();
        EmbeddingRequestWriter.Write(body, inputs, start, count, options, model);
        using var answer = await _sender.SendAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return Parse(answer, count, expectedDimensions, _sender.ApiKey);
    }

    private static (EmbeddingResponseReader.Batch Batch, string? RequestId) Parse(CompletionBody answer, int count, int expectedDimensions, string apiKey)
    {
        var (body, status, requestId) = answer;
        var bytes = body.WrittenSpan;
        if (bytes.IsEmpty)
        {
            throw QwenErrors.EmptyBody(status, requestId);
        }

        EmbeddingResponseReader.Batch batch;
        try
        {
            batch = EmbeddingResponseReader.Read(bytes, count, expectedDimensions);
        }
        catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
        {
            throw QwenErrors.Malformed("response body", ex, status, requestId, apiKey);
        }

        requestId ??= batch.Id;
        ThrowIfError(batch, status, requestId, apiKey);
        try
        {
            EmbeddingResponseReader.EnsureComplete(batch);
        }
        catch (JsonException ex)
        {
            throw QwenErrors.Malformed("response body", ex, status, requestId, apiKey);
        }

        return (batch, requestId);
    }

    private static void ThrowIfError(EmbeddingResponseReader.Batch batch, HttpStatusCode status, string? requestId, string apiKey)
    {
        if (batch.Error is { } error)
        {
            throw QwenErrors.FromErrorDetail(error, status, requestId, apiKey);
        }

        if (!batch.HasData && !string.IsNullOrEmpty(batch.NativeCode))
        {
            throw QwenErrors.FromNativeError(batch.NativeCode, batch.NativeMessage, status, requestId, apiKey);
        }

        if (!batch.HasData)
        {
            throw QwenErrors.Malformed("response body", new JsonException($"The answer has no '{ResponseFields.Data}'."), status, requestId, apiKey);
        }
    }

    private string ResolveModel(EmbeddingGenerationOptions? options)
    {
        if (options?.ModelId is { } model)
        {
            return string.IsNullOrWhiteSpace(model)
                ? throw new ArgumentException("EmbeddingGenerationOptions.ModelId is empty or whitespace; set a model such as 'text-embedding-v4', or leave it null to use QwenClientOptions.DefaultModelId.", nameof(options))
                : model;
        }

        return _defaultModelId;
    }

    private static long? Add(long? sum, long? value) => value is null ? sum : (sum ?? 0) + value;

    private static IList<string> AsList(IEnumerable<string> values)
    {
        Throw.IfNull(values);
        var list = values as IList<string> ?? values.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"values[{i}] is null; every input must be a string.", nameof(values));
            }
        }

        return list;
    }
}
