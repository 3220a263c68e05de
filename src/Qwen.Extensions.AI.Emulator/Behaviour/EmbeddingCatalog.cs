namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>
/// The embedding models the emulator serves, with their documented sizes, default size and limits (shared/docs/dashscope-more.md
/// §2.2: v4 and v3 take up to 10 inputs of up to 8,192 tokens; v1/v2 up to 25 of 2,048, fixed 1536; v3's 256/128/64 come from
/// the China page and are accepted).
/// </summary>
internal static class EmbeddingCatalog
{
    private static readonly Dictionary<string, EmbeddingModelFacts> Models = new(StringComparer.Ordinal)
    {
        ["text-embedding-v4"] = new([2048, 1536, 1024, 768, 512, 256, 128, 64], 1024, 10, 8192),
        ["text-embedding-v3"] = new([1024, 768, 512, 256, 128, 64], 1024, 10, 8192),
        ["text-embedding-v2"] = new([1536], 1536, 25, 2048),
        ["text-embedding-v1"] = new([1536], 1536, 25, 2048),
    };

    public static EmbeddingModelFacts? Find(string model) => Models.TryGetValue(model, out var facts) ? facts : null;
}

/// <summary>One embedding model: sizes, default size, most inputs per request, most tokens per input.</summary>
internal sealed record EmbeddingModelFacts(int[] Dimensions, int DefaultDimensions, int MaxBatchSize, int MaxTokensPerInput);
