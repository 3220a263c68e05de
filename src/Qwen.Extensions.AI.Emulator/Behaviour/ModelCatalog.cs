namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>Which model ids exist, which only stream, and which think.</summary>
internal static partial class ModelCatalog
{
    private static readonly string[] ExactModels =
    [
        "qwen-plus", "qwen-max", "qwen-turbo", "qwen-flash", "qwen-long", "qwen-coder-plus", "qwen-coder-turbo",
        "qwen-math-plus", "qwen-math-turbo", "qwen-mt-plus", "qwen-mt-turbo", "qwen-vl-plus", "qwen-vl-max", "qwen-vl-ocr",
        "qvq-max", "qvq-plus", "qwq-plus", "qwq-32b", "qwen-omni-turbo", "qwen-doc-turbo",
    ];

    private static readonly string[] Prefixes =
    [
        "qwen-plus-", "qwen-max-", "qwen-turbo-", "qwen-flash-", "qwen-long-", "qwen-coder-", "qwen-math-", "qwen-mt-",
        "qwen3-", "qwen3.5-", "qwen3.6-", "qwen-vl-", "qwen3-vl-", "qvq-", "qwq-", "qwen-omni-", "qwen3-omni-",
        "qwen2.5-", "qwen2-", "qwen-deep-research",
    ];

    public static bool Exists(string model, IEnumerable<string> additional) =>
        ExactModels.Contains(model, StringComparer.Ordinal)
        || Prefixes.Any(p => model.StartsWith(p, StringComparison.Ordinal) && model.Length > p.Length)
        || additional.Contains(model, StringComparer.Ordinal);

    /// <summary>QVQ, QwQ and Omni models answer only streaming calls.</summary>
    public static bool IsStreamOnly(string model) =>
        model.StartsWith("qvq-", StringComparison.Ordinal) || model.StartsWith("qwq-", StringComparison.Ordinal) || model.Contains("-omni", StringComparison.Ordinal);

    /// <summary>Qwen-Omni models: streaming only ("'audio' output only support with stream=true" when audio is asked for).</summary>
    public static bool IsOmni(string model) => model.Contains("-omni", StringComparison.Ordinal);

    /// <summary>
    /// Speech recognition on chat (the qwen3-asr chat page: "Qwen3-ASR-Flash: OpenAI compatible and DashScope synchronous"):
    /// qwen3-asr-flash and its snapshots; qwen3-asr-flash-filetrans is DashScope-asynchronous only, so it is not one of them.
    /// </summary>
    public static bool IsSpeechRecognition(string model) =>
        model.StartsWith("qwen3-asr-flash", StringComparison.Ordinal) && !model.Contains("filetrans", StringComparison.Ordinal);

    /// <summary>The models that take <c>input_audio</c> parts: Qwen-Omni (dashscope-more.md 5.2) and qwen3-asr.</summary>
    public static bool TakesAudio(string model) => IsOmni(model) || IsSpeechRecognition(model);

    /// <summary>Open-source thinking-only models (qwq-32b, qvq-72b-preview, qwen3-235b-a22b-thinking-2507): no non-streaming HTTP calls.</summary>
    public static bool IsOpenSourceThinkingOnly(string model) =>
        model is "qwq-32b" or "qwq-32b-preview" || model.StartsWith("qvq-72b", StringComparison.Ordinal)
        || (OpenSourceQwen3().IsMatch(model) && model.Contains("thinking", StringComparison.Ordinal));

    /// <summary>Open-source Qwen3.5 / 3.6 models (qwen3.5-27b, ...), as opposed to the Qwen3 generation (qwen3-8b, ...).</summary>
    public static bool IsQwen35OpenSource(string model) => OpenSourceQwen3().IsMatch(model) && !model.StartsWith("qwen3-", StringComparison.Ordinal);

    /// <summary>The models that read <c>fileid://</c> system messages.</summary>
    public static bool ReadsFiles(string model) =>
        model is "qwen-long" or "qwen-doc-turbo" || model.StartsWith("qwen-long-", StringComparison.Ordinal) || model.StartsWith("qwen-doc-turbo-", StringComparison.Ordinal);

    /// <summary>Models that always think (QwQ, QVQ, *-thinking*).</summary>
    public static bool AlwaysThinks(string model) =>
        model.StartsWith("qvq-", StringComparison.Ordinal) || model.StartsWith("qwq-", StringComparison.Ordinal) || model.Contains("thinking", StringComparison.Ordinal);

    /// <summary>Open-source hybrid Qwen3 models (qwen3-8b, qwen3-235b-a22b, ...): thinking is on by default and needs a stream.</summary>
    public static bool IsOpenSourceHybrid(string model) =>
        OpenSourceQwen3().IsMatch(model) && !model.Contains("instruct", StringComparison.Ordinal) && !model.Contains("thinking", StringComparison.Ordinal);

    [GeneratedRegex(@"^qwen3(\.\d+)?-(next-)?\d+(\.\d+)?b", RegexOptions.CultureInvariant)]
    private static partial Regex OpenSourceQwen3();
}
