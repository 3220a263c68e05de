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

        // The Qwen 3.7 / 3.8 generation (dashscope-more.md 4.2, 4.4, 6.2).
        "qwen3.7-", "qwen3.8-",
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

    // ---- Reasoning and structured output by model (dashscope-more.md 4 and 6), the emulator's own lists ----

    /// <summary>
    /// Hybrids that think unless told not to: Qwen3.5 (seed 003 / QC-TH: "on") and the 3.6-3.8 generations (4.1: 3.7/3.8 on, captured
    /// on qwen3.8-max without any flag); Omni models excluded (Qwen3-Omni-Flash is off by default).
    /// </summary>
    public static bool ThinksByDefault(string model) =>
        (model.StartsWith("qwen3.5-", StringComparison.Ordinal) || model.StartsWith("qwen3.6-", StringComparison.Ordinal) || IsNewGeneration(model))
        && !model.Contains("-omni", StringComparison.Ordinal) && !model.Contains("instruct", StringComparison.Ordinal);

    /// <summary>The 3.7 / 3.8 generation, whose chat also turns thinking off with <c>thinking: {"type": "disabled"}</c> (4.1).</summary>
    public static bool IsNewGeneration(string model) =>
        model.StartsWith("qwen3.7-", StringComparison.Ordinal) || model.StartsWith("qwen3.8-", StringComparison.Ordinal);

    /// <summary>Models that honour <c>reasoning_effort</c> tiers: qwen3.8-* (4.2). Others accept the field and ignore it.</summary>
    public static bool HonoursReasoningEffort(string model) => model.StartsWith("qwen3.8-", StringComparison.Ordinal);

    /// <summary>Models that answer JSON mode while thinking: 3.7 / 3.8 (6.2 live probes); older ones refuse.</summary>
    public static bool TakesJsonModeWhileThinking(string model) => IsNewGeneration(model);

    /// <summary>
    /// Whether a forced <c>tool_choice</c> is refused in thinking mode: on the 3.7 / 3.8 generation only qwen3.8-flash refuses
    /// (4.3, captured); on older models the seed's rule holds for all (seed 003: "Models in thinking mode do not support forcing a
    /// specific tool").
    /// </summary>
    public static bool RefusesForcedToolChoiceWhileThinking(string model) =>
        !IsNewGeneration(model) || model.StartsWith("qwen3.8-flash", StringComparison.Ordinal);

    /// <summary>Models whose <c>preserve_thinking</c> is on by default: qwen3.8-max (4.4, probe); others off unless asked.</summary>
    public static bool PreservesThinkingByDefault(string model) => model is "qwen3.8-max" || model.StartsWith("qwen3.8-max-", StringComparison.Ordinal);

    /// <summary>
    /// The models that honour explicit cache markers (dashscope-more.md 3.3): the union of the regions' lists (International, Global,
    /// Chinese mainland, Hong Kong, EU) and the models captures show using it (qwen3.6-plus, qwen3.8-max). Exact ids only: the
    /// doc lists no snapshots.
    /// </summary>
    public static bool SupportsExplicitCache(string model) => model is
        "qwen3-max" or "qwen3.5-plus" or "qwen-plus" or "qwen3.5-flash" or "qwen-flash" or "qwen3-coder-plus" or "qwen3-coder-flash"
        or "qwen3-vl-plus" or "deepseek-v3.2" or "kimi-k2.5" or "qwen3.6-plus" or "qwen3.8-max";

    [GeneratedRegex(@"^qwen3(\.\d+)?-(next-)?\d+(\.\d+)?b", RegexOptions.CultureInvariant)]
    private static partial Regex OpenSourceQwen3();
}
