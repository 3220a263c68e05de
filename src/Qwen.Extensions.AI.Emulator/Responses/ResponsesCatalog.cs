namespace Qwen.Extensions.AI.Emulator.Responses;

/// <summary>
/// The facts of the Responses API the emulator enforces, each from shared/docs/dashscope-more.md §1: the models (§1.11), the
/// session-cache models (§1.2), the limits and the documented messages.
/// </summary>
internal static class ResponsesCatalog
{
    /// <summary>§1.11's list [doc RZ] plus qwen3.8-flash ("works in practice" [capture P-MAP]).</summary>
    public static readonly string[] Models =
    [
        "qwen3.8-max", "qwen3.7-max", "qwen3.7-max-2026-06-08", "qwen3.7-max-2026-05-20", "qwen3.7-max-preview", "qwen3.7-max-2026-05-17",
        "qwen3-max", "qwen3-max-2026-01-23", "qwen3.7-plus", "qwen3.7-plus-2026-05-26", "qwen3.6-plus", "qwen3.6-plus-2026-04-02",
        "qwen3.5-plus", "qwen3.5-plus-2026-04-20", "qwen3.5-plus-2026-02-15", "qwen3.7-flash", "qwen3.7-flash-2026-07-15", "qwen3.6-flash",
        "qwen3.6-flash-2026-04-16", "qwen3.5-flash", "qwen3.5-flash-2026-02-23", "qwen3.8-2.4t-a95b", "qwen3.6-35b-a3b", "qwen3.5-397b-a17b",
        "qwen3.5-122b-a10b", "qwen3.5-27b", "qwen3.5-35b-a3b", "qwen-plus", "qwen-flash", "qwen3-coder-plus", "qwen3-coder-flash",
        "qwen3.5-ocr", "qwen-plus-character", "qwen-flash-character", "deepseek-v4-pro-0813", "deepseek-v4-pro", "deepseek-v4-flash",
        "deepseek-v4-flash-0731", "qwen3.8-flash",
    ];

    /// <summary>The models the session cache (<c>x-dashscope-session-cache: enable</c>) applies to [doc RZ, §1.2].</summary>
    public static readonly string[] SessionCacheModels =
    [
        "qwen3.8-max", "qwen3.7-max", "qwen3.7-max-2026-06-08", "qwen3.7-max-2026-05-20", "qwen3-max", "qwen3.7-plus", "qwen3.7-plus-2026-05-26",
        "qwen3.6-plus", "qwen3.5-plus", "qwen3.7-flash", "qwen3.6-flash", "qwen3.5-flash", "qwen-plus", "qwen-flash", "qwen3-coder-plus", "qwen3-coder-flash",
    ];

    /// <summary>The values of <c>reasoning.effort</c> [doc RZ].</summary>
    public static readonly string[] Efforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];

    /// <summary>How long a stored response can be retrieved or continued: 7 days [doc RZ].</summary>
    public static readonly TimeSpan StoredLifetime = TimeSpan.FromDays(7);

    /// <summary>The session cache's lifetime, reset on every hit [doc RZ, CC].</summary>
    public static readonly TimeSpan SessionCacheLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The fewest context tokens the session cache stores [doc RZ, CC].</summary>
    public const int SessionCacheMinTokens = 1024;

    /// <summary>The smallest <c>max_output_tokens</c> [doc RZ].</summary>
    public const int MinOutputTokens = 16;

    public const string RateLimitMessage = "Operation model request rate limit exceeded, please try again later.";

    public const string MutuallyExclusiveMessage = "Mutually exclusive parameters: Ensure you are only providing one of: previous_response_id or conversation.";

    public const string WebExtractorMessage = "<400> InternalError.Algo.InvalidParameter: The web_extractor tool must be executed with web_search tool.";

    public const string CodeInterpreterNormalModeMessage = "Normal mode does not support Code interpreter. Please set enable_thinking to true.";

    /// <summary>The captured text ends in "…"; the tail after "JSON" is the emulator's.</summary>
    public const string NestedToolMessage = "<400> InternalError.Algo.InvalidParameter: The parameters, when provided as a dict, must confirm to a valid openai-compatible JSON schema.";

    public const string OneKnowledgeBaseMessage = "<400> InternalError.Algo.InvalidParameter: Currently, only one knowledge base ID is supported.";

    /// <summary>The fixed sources every emulated <c>web_search</c> returns (the doc's example URLs).</summary>
    public static readonly string[] WebSources = ["https://cn.aliyun.com/", "https://www.aliyun.com/"];

    public static bool IsModel(string model, IEnumerable<string> additional) =>
        Models.Contains(model, StringComparer.Ordinal) || additional.Contains(model, StringComparer.Ordinal);

    public static string UnsupportedModel(string model) => $"Unsupported model: '{model}'";

    public static string MissingParameter(string name) => $"[400] missing_required_parameter: Missing required parameter: '{name}'.";

    public static string NotFoundPrevious(string id) => $"Not found previous_response_id: {id}";

    public static string NotFoundResponse(string id) => $"Response with id '{id}' not found.";
}
