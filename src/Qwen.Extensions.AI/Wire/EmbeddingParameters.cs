namespace Qwen.Extensions.AI.Wire;

/// <summary>
/// The request parameters of <c>embeddings</c> (compatible mode), one row each, and what is documented about each model: the
/// only place the embedding wire names, ranges and limits are written. <c>Mapping/EmbeddingRequestWriter</c> (typed options) and
/// <c>Mapping/ExtraParameters</c> (<c>AdditionalProperties</c>, same policy as chat) validate and write through these rows.
/// Response field names live in <see cref="ResponseFields"/>. Source: shared/docs/dashscope-more.md §2.
/// </summary>
internal static class EmbeddingParameters
{
    /// <summary>The endpoint path these parameters belong to, relative to the base URL.</summary>
    public const string EndpointPath = "embeddings";

    /// <summary>The one encoding the client asks for: "Only float is supported" (base64 is not documented).</summary>
    public const string FloatEncoding = "float";

    /// <summary>The most inputs per request for a model the client does not know (v3/v4 documented and captured: 10).</summary>
    public const int DefaultMaxBatchSize = 10;

    public static readonly RequestParameter Model = new(Names.Model, ParameterKind.Reserved, reservedHint: "Use EmbeddingGenerationOptions.ModelId.");
    public static readonly RequestParameter Input = new(Names.Input, ParameterKind.Reserved, reservedHint: "Pass the texts to GenerateAsync; the client batches them.");
    public static readonly RequestParameter EncodingFormat = new(Names.EncodingFormat, ParameterKind.Reserved, reservedHint: "The client always asks for \"float\", the only documented format.");
    public static readonly RequestParameter Dimensions = new(Names.Dimensions, ParameterKind.Integer, min: 1, max: int.MaxValue, range: "≥ 1 (and one of the model's documented sizes)", chatOptionsMember: "Dimensions");

    /// <summary>Every embeddings parameter, by wire name. <c>text_type</c>, <c>output_type</c> and <c>instruct</c> are documented
    /// for the native API only (uncertain on compatible mode), so they are not rows: as wire-shaped extras they pass through as given.</summary>
    public static readonly RequestParameterTable Table = new(EndpointPath, Model, Input, EncodingFormat, Dimensions);

    /// <summary>The documented models: sizes the <c>dimensions</c> parameter takes, the default size, the most inputs per request.</summary>
    /// <remarks>
    /// v3: the international page lists 1024/768/512 and the China page also 256/128/64; the client accepts all six (lenient on
    /// input) and lets the service decide. v1/v2 have a fixed 1536 and take 25 inputs (China page). Other models
    /// (<c>qwen3.7-text-embedding</c>, ...) are not checked and are batched by <see cref="DefaultMaxBatchSize"/>.
    /// </remarks>
    private static readonly Dictionary<string, EmbeddingModel> Models = new(StringComparer.Ordinal)
    {
        ["text-embedding-v4"] = new([2048, 1536, 1024, 768, 512, 256, 128, 64], 1024, 10),
        ["text-embedding-v3"] = new([1024, 768, 512, 256, 128, 64], 1024, 10),
        ["text-embedding-v2"] = new([1536], 1536, 25),
        ["text-embedding-v1"] = new([1536], 1536, 25),
    };

    /// <summary>What is documented about <paramref name="model"/>, or <see langword="null"/> for a model the client does not know.</summary>
    public static EmbeddingModel? Find(string model) => Models.TryGetValue(model, out var known) ? known : null;

    /// <summary>The wire names as constants.</summary>
    public static class Names
    {
        public const string Model = "model";
        public const string Input = "input";
        public const string Dimensions = "dimensions";
        public const string EncodingFormat = "encoding_format";
    }
}

/// <summary>One documented embedding model.</summary>
/// <param name="Dimensions">The sizes <c>dimensions</c> may take.</param>
/// <param name="DefaultDimensions">The size when <c>dimensions</c> is not sent.</param>
/// <param name="MaxBatchSize">The most inputs one request may carry.</param>
internal sealed record EmbeddingModel(int[] Dimensions, int DefaultDimensions, int MaxBatchSize)
{
    /// <summary>The sizes as text for messages: <c>2048, 1536, 1024, ...</c>.</summary>
    public string DimensionsText => string.Join(", ", Dimensions);
}
