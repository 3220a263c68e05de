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

    /// <summary>
    /// The <c>AdditionalProperties</c> key (on <c>ChatOptions</c> or on one function) that asks for <c>strict</c> schemas: MEAI's
    /// OpenAI client reads the same key. Not a wire name, so it is never sent as a parameter of its own.
    /// </summary>
    public const string StrictJsonSchemaSetting = "strictJsonSchema";

    /// <summary>
    /// The <c>ChatOptions.AdditionalProperties</c> key that overrides <c>QwenClientOptions.ContextCache</c> for one request
    /// (<c>QwenContextCachePolicy</c>, or <c>"auto"</c> / <c>"none"</c>). Not a wire name, so it is never sent as a parameter of its own.
    /// </summary>
    public const string ContextCacheSetting = "contextCache";

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

    // Tiered thinking (dashscope-more.md 4.1/4.2): none, minimal, low, medium, high, xhigh, max; derived from ChatOptions.Reasoning
    // for the models of the table of model facts that honour it (QwenModelCapabilities.ReasoningTiers).
    public static readonly RequestParameter ReasoningEffort = new(Names.ReasoningEffort, ParameterKind.String, range: "one of none, minimal, low, medium, high, xhigh, max", chatOptionsMember: "Reasoning", skSetting: Names.ReasoningEffort);
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

    /// <summary>qwen3-asr options (<c>{"language":"zh","enable_itn":false}</c>, the qwen3-asr chat page): an object, passed through as given.</summary>
    public static readonly RequestParameter AsrOptions = new(Names.AsrOptions, ParameterKind.Object);

    /// <summary>Every chat parameter, by wire name.</summary>
    public static readonly RequestParameterTable Table = new(
        EndpointPath,
        Model, Messages, Stream, StreamOptions, Tools,
        Temperature, TopP, TopK, MaxTokens, PresencePenalty, Seed, Stop, ResponseFormat, ToolChoice, ParallelToolCalls,
        EnableThinking, ThinkingBudget, PreserveThinking, EnableSearch, SearchOptions, EnableCodeInterpreter, VlHighResolutionImages,
        RepetitionPenalty, N, Logprobs, TopLogprobs, Modalities, Audio,
        ReasoningEffort, AsrOptions);

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
        public const string ReasoningEffort = "reasoning_effort";
        public const string AsrOptions = "asr_options";
    }

    /// <summary>
    /// The names nested inside the parameters' values (<c>messages[]</c> and their content parts, <c>tools[]</c>,
    /// <c>tool_choice</c>, <c>response_format</c>), pre-encoded for <see cref="System.Text.Json.Utf8JsonWriter"/>. Names a
    /// response also carries (role, content, tool_calls, ...) are encoded from <see cref="ResponseFields"/>, so each literal is written once.
    /// </summary>
    public static class Fields
    {
        // messages[]: the names an assistant message shares with a response message.
        public static readonly JsonEncodedText Role = JsonEncodedText.Encode(ResponseFields.Role);
        public static readonly JsonEncodedText Content = JsonEncodedText.Encode(ResponseFields.Content);
        public static readonly JsonEncodedText ReasoningContent = JsonEncodedText.Encode(ResponseFields.ReasoningContent);
        public static readonly JsonEncodedText ToolCalls = JsonEncodedText.Encode(ResponseFields.ToolCalls);
        public static readonly JsonEncodedText ToolCallId = JsonEncodedText.Encode(ResponseFields.ToolCallId);
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode(ResponseFields.Id);
        public static readonly JsonEncodedText Function = JsonEncodedText.Encode(ResponseFields.Function);
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode(ResponseFields.Name);
        public static readonly JsonEncodedText Arguments = JsonEncodedText.Encode(ResponseFields.Arguments);
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode(ResponseFields.Text);

        // Content parts, tools[], tool_choice and response_format.
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode(ContentParts.Type);
        public static readonly JsonEncodedText ImageUrl = JsonEncodedText.Encode(Values.ImageUrl);
        public static readonly JsonEncodedText VideoUrl = JsonEncodedText.Encode(Values.VideoUrl);
        public static readonly JsonEncodedText Url = JsonEncodedText.Encode("url");
        public static readonly JsonEncodedText Video = JsonEncodedText.Encode(Values.Video);
        public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
        public static readonly JsonEncodedText Parameters = JsonEncodedText.Encode("parameters");
        public static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties");
        public static readonly JsonEncodedText Strict = JsonEncodedText.Encode("strict");
        public static readonly JsonEncodedText JsonSchema = JsonEncodedText.Encode(Values.JsonSchema);
        public static readonly JsonEncodedText Schema = JsonEncodedText.Encode("schema");
    }

    /// <summary>The fixed string values the request carries (roles, part and tool types, <c>tool_choice</c> modes, <c>response_format</c> types).</summary>
    public static class Values
    {
        public const string ImageUrl = "image_url";
        public const string VideoUrl = "video_url";
        public const string Video = "video";
        public const string JsonSchema = "json_schema";

        /// <summary>The scheme of a system message that references an uploaded file (qwen-long, qwen-doc-turbo): <c>fileid://file-fe-...</c>.</summary>
        public const string FileIdScheme = "fileid://";

        /// <summary>The <c>json_schema.name</c> sent when <c>ChatResponseFormatJson.SchemaName</c> is empty.</summary>
        public const string DefaultSchemaName = "response";

        public static readonly JsonEncodedText System = JsonEncodedText.Encode("system");
        public static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
        public static readonly JsonEncodedText Assistant = JsonEncodedText.Encode("assistant");
        public static readonly JsonEncodedText Tool = JsonEncodedText.Encode("tool");
        public static readonly JsonEncodedText Function = Fields.Function;
        public static readonly JsonEncodedText Object = JsonEncodedText.Encode("object");
        public static readonly JsonEncodedText Text = Fields.Text;
        public static readonly JsonEncodedText JsonObject = JsonEncodedText.Encode("json_object");
        public static readonly JsonEncodedText JsonSchemaType = Fields.JsonSchema;
        public static readonly JsonEncodedText ImageUrlType = Fields.ImageUrl;
        public static readonly JsonEncodedText VideoUrlType = Fields.VideoUrl;
        public static readonly JsonEncodedText VideoType = Fields.Video;
        public static readonly JsonEncodedText None = JsonEncodedText.Encode("none");
        public static readonly JsonEncodedText Auto = JsonEncodedText.Encode("auto");
        public static readonly JsonEncodedText Required = JsonEncodedText.Encode("required");
    }

    /// <summary>The names inside a <c>messages[].content</c> part array (user messages with media).</summary>
    public static class ContentParts
    {
        public const string Type = "type";
        public const string Text = ResponseFields.Text;

        /// <summary>Qwen-Omni audio input: <c>{"type":"input_audio","input_audio":{"data":"data:audio/wav;base64,...","format":"wav"}}</c> (dashscope-more.md 5.2).</summary>
        public const string InputAudio = "input_audio";

        /// <summary>The audio of an <see cref="InputAudio"/> part: a data URI or a URL.</summary>
        public const string Data = "data";

        /// <summary>The audio format of an <see cref="InputAudio"/> part (<c>wav</c>, <c>mp3</c>, ...): optional for URLs.</summary>
        public const string Format = "format";

        /// <summary>
        /// The explicit context-cache marker of a content part (dashscope-more.md 3.2): <c>"cache_control":{"type":"ephemeral"}</c>.
        /// Also the key of an <c>AIContent.AdditionalProperties</c> entry that asks for one (<c>QwenPropertyNames.CacheControl</c>).
        /// </summary>
        public const string CacheControl = "cache_control";

        /// <summary>The one marker type the service allows: <c>ephemeral</c> (5 minutes, reset on a hit).</summary>
        public const string Ephemeral = "ephemeral";

        public static readonly JsonEncodedText CacheControlName = JsonEncodedText.Encode(CacheControl);
        public static readonly JsonEncodedText EphemeralValue = JsonEncodedText.Encode(Ephemeral);
    }
}
