namespace Qwen.Extensions.AI.Wire;

/// <summary>
/// The request parameters of <c>chat/completions</c>, one row each: the only place a body parameter's wire name, kind, range
/// and range text are written. <c>Mapping/ChatRequestWriter</c> (typed options), <c>Mapping/ExtraParameters</c>
/// (<c>AdditionalProperties</c>) and the Semantic Kernel settings validate and write through these rows; adding a parameter
/// is one name and one row. Response field names live in <see cref="ResponseFields"/>.
/// </summary>
internal static class ChatParameters
{
    /// <summary>The endpoint path these parameters belong to, relative to the base URL.</summary>
    public const string EndpointPath = "chat/completions";

    /// <summary>The Semantic Kernel setting for <see cref="Names.Stop"/>: SK's own name, not a wire name.</summary>
    public const string StopSequencesSetting = "stop_sequences";

    public static readonly RequestParameter Model = new(Names.Model, ParameterKind.Reserved, reservedHint: "Use ChatOptions.ModelId.");
    public static readonly RequestParameter Messages = new(Names.Messages, ParameterKind.Reserved);
    public static readonly RequestParameter Stream = new(Names.Stream, ParameterKind.Reserved);
    public static readonly RequestParameter StreamOptions = new(Names.StreamOptions, ParameterKind.Merged);
    public static readonly RequestParameter Tools = new(Names.Tools, ParameterKind.Reserved, reservedHint: "Use ChatOptions.Tools.");

    public static readonly RequestParameter Temperature = new(Names.Temperature, ParameterKind.Number, min: 0, max: 2, maxExclusive: true, range: "in [0, 2)", chatOptionsMember: "Temperature", skSetting: Names.Temperature);
    public static readonly RequestParameter TopP = new(Names.TopP, ParameterKind.Number, min: 0, max: 1, minExclusive: true, range: "in (0, 1]", chatOptionsMember: "TopP", skSetting: Names.TopP);
    public static readonly RequestParameter TopK = new(Names.TopK, ParameterKind.Integer, min: 0, max: int.MaxValue, range: "≥ 0 (above 100 disables top-k sampling)", chatOptionsMember: "TopK", skSetting: Names.TopK, nullIsSent: true);
    public static readonly RequestParameter MaxTokens = new(Names.MaxTokens, ParameterKind.Integer, min: 1, max: int.MaxValue, range: "≥ 1", chatOptionsMember: "MaxOutputTokens", skSetting: Names.MaxTokens);
    public static readonly RequestParameter PresencePenalty = new(Names.PresencePenalty, ParameterKind.Number, min: -2, max: 2, range: "in [-2, 2]", chatOptionsMember: "PresencePenalty", skSetting: Names.PresencePenalty);
    public static readonly RequestParameter Seed = new(Names.Seed, ParameterKind.Integer, min: 0, max: int.MaxValue, range: "in [0, 2^31-1]", chatOptionsMember: "Seed", skSetting: Names.Seed);
    public static readonly RequestParameter Stop = new(Names.Stop, ParameterKind.StringOrArray, chatOptionsMember: "StopSequences", skSetting: StopSequencesSetting);
    public static readonly RequestParameter ResponseFormat = new(Names.ResponseFormat, ParameterKind.Object, chatOptionsMember: "ResponseFormat");
    public static readonly RequestParameter ToolChoice = new(Names.ToolChoice, ParameterKind.StringOrObject, chatOptionsMember: "ToolMode");
    public static readonly RequestParameter ParallelToolCalls = new(Names.ParallelToolCalls, ParameterKind.Boolean, chatOptionsMember: "AllowMultipleToolCalls");

    public static readonly RequestParameter EnableThinking = new(Names.EnableThinking, ParameterKind.Boolean, chatOptionsMember: "Reasoning", skSetting: Names.EnableThinking);
    public static readonly RequestParameter ThinkingBudget = new(Names.ThinkingBudget, ParameterKind.Integer, min: 1, max: int.MaxValue, range: "≥ 1", chatOptionsMember: "Reasoning", skSetting: Names.ThinkingBudget);
    public static readonly RequestParameter PreserveThinking = new(Names.PreserveThinking, ParameterKind.Boolean, skSetting: Names.PreserveThinking);
    public static readonly RequestParameter EnableSearch = new(Names.EnableSearch, ParameterKind.Boolean, skSetting: Names.EnableSearch);
    public static readonly RequestParameter SearchOptions = new(Names.SearchOptions, ParameterKind.Object, skSetting: Names.SearchOptions);
    public static readonly RequestParameter EnableCodeInterpreter = new(Names.EnableCodeInterpreter, ParameterKind.Boolean, skSetting: Names.EnableCodeInterpreter);
    public static readonly RequestParameter VlHighResolutionImages = new(Names.VlHighResolutionImages, ParameterKind.Boolean, skSetting: Names.VlHighResolutionImages);
    public static readonly RequestParameter RepetitionPenalty = new(Names.RepetitionPenalty, ParameterKind.Number, min: 0, minExclusive: true, range: "> 0", skSetting: Names.RepetitionPenalty);
    public static readonly RequestParameter N = new(Names.N, ParameterKind.Integer, min: 1, max: 4, range: "from 1 to 4");
    public static readonly RequestParameter Logprobs = new(Names.Logprobs, ParameterKind.Boolean);
    public static readonly RequestParameter TopLogprobs = new(Names.TopLogprobs, ParameterKind.Integer, min: 0, max: 5, range: "from 0 to 5");
    public static readonly RequestParameter Modalities = new(Names.Modalities, ParameterKind.StringArray);
    public static readonly RequestParameter Audio = new(Names.Audio, ParameterKind.Object);

    /// <summary>Every chat parameter, by wire name.</summary>
    public static readonly RequestParameterTable Table = new(
        EndpointPath,
        Model, Messages, Stream, StreamOptions, Tools,
        Temperature, TopP, TopK, MaxTokens, PresencePenalty, Seed, Stop, ResponseFormat, ToolChoice, ParallelToolCalls,
        EnableThinking, ThinkingBudget, PreserveThinking, EnableSearch, SearchOptions, EnableCodeInterpreter, VlHighResolutionImages,
        RepetitionPenalty, N, Logprobs, TopLogprobs, Modalities, Audio);

    /// <summary>The wire names as constants (for <c>switch</c>, attributes and <see cref="QwenPropertyNames"/>).</summary>
    public static class Names
    {
        public const string Model = "model";
        public const string Messages = "messages";
        public const string Stream = "stream";
        public const string StreamOptions = "stream_options";
        public const string IncludeUsage = "include_usage";
        public const string Tools = "tools";
        public const string Temperature = "temperature";
        public const string TopP = "top_p";
        public const string TopK = "top_k";
        public const string MaxTokens = "max_tokens";
        public const string PresencePenalty = "presence_penalty";
        public const string Seed = "seed";
        public const string Stop = "stop";
        public const string ResponseFormat = "response_format";
        public const string ToolChoice = "tool_choice";
        public const string ParallelToolCalls = "parallel_tool_calls";
        public const string EnableThinking = "enable_thinking";
        public const string ThinkingBudget = "thinking_budget";
        public const string PreserveThinking = "preserve_thinking";
        public const string EnableSearch = "enable_search";
        public const string SearchOptions = "search_options";
        public const string EnableCodeInterpreter = "enable_code_interpreter";
        public const string VlHighResolutionImages = "vl_high_resolution_images";
        public const string RepetitionPenalty = "repetition_penalty";
        public const string N = "n";
        public const string Logprobs = "logprobs";
        public const string TopLogprobs = "top_logprobs";
        public const string Modalities = "modalities";
        public const string Audio = "audio";
    }
}
