namespace Qwen.Extensions.AI.Wire;

/// <summary>
/// The request side of DashScope's Responses API (<c>POST {endpoint}/responses</c>, dashscope-more.md section 1.3-1.5): the body
/// parameters, one row each, the names nested in <c>input[]</c> items and <c>tools[]</c>, and the session-cache header. Read by
/// <c>Mapping/ResponsesRequestWriter</c>; response names live in <see cref="ResponsesFields"/>.
/// </summary>
internal static class ResponsesParameters
{
    /// <summary>The endpoint path relative to the base URL; retrieve and delete append <c>/{id}</c>.</summary>
    public const string EndpointPath = "responses";

    /// <summary>The request header that turns the session cache on (<c>enable</c>) or off (<c>disable</c>, the service's default), section 1.2.</summary>
    public const string SessionCacheHeader = "x-dashscope-session-cache";

    /// <summary>The value of <see cref="SessionCacheHeader"/> that turns the session cache on.</summary>
    public const string SessionCacheEnable = "enable";

    /// <summary>The value of <see cref="SessionCacheHeader"/> that turns the session cache off.</summary>
    public const string SessionCacheDisable = "disable";

    /// <summary>The smallest <c>max_output_tokens</c> the service accepts.</summary>
    public const int MinMaxOutputTokens = 16;

    public static readonly RequestParameter Model = new(Names.Model, ParameterKind.Reserved, reservedHint: "Use ChatOptions.ModelId.");
    public static readonly RequestParameter Input = new(Names.Input, ParameterKind.Reserved, reservedHint: "Pass the messages.");
    public static readonly RequestParameter Instructions = new(Names.Instructions, ParameterKind.Reserved, reservedHint: "Use ChatOptions.Instructions.");
    public static readonly RequestParameter PreviousResponseId = new(Names.PreviousResponseId, ParameterKind.Reserved, reservedHint: "Use ChatOptions.ConversationId.");
    public static readonly RequestParameter Conversation = new(Names.Conversation, ParameterKind.Reserved, reservedHint: "Use ChatOptions.ConversationId (a response id, sent as previous_response_id).");
    public static readonly RequestParameter Stream = new(Names.Stream, ParameterKind.Reserved);
    public static readonly RequestParameter Tools = new(Names.Tools, ParameterKind.Reserved, reservedHint: "Use ChatOptions.Tools.");
    public static readonly RequestParameter Reasoning = new(Names.Reasoning, ParameterKind.Reserved, reservedHint: "Use ChatOptions.Reasoning.Effort.");
    public static readonly RequestParameter Store = new(Names.Store, ParameterKind.Boolean);
    public static readonly RequestParameter ToolChoice = new(Names.ToolChoice, ParameterKind.StringOrObject, chatOptionsMember: "ToolMode");
    public static readonly RequestParameter Temperature = new(Names.Temperature, ParameterKind.Number, min: 0, max: 2, maxExclusive: true, range: "in [0, 2)", chatOptionsMember: "Temperature");
    public static readonly RequestParameter TopP = new(Names.TopP, ParameterKind.Number, min: 0, max: 1, minExclusive: true, range: "in (0, 1]", chatOptionsMember: "TopP");
    public static readonly RequestParameter MaxOutputTokens = new(Names.MaxOutputTokens, ParameterKind.Integer, min: MinMaxOutputTokens, max: int.MaxValue, range: "≥ 16", chatOptionsMember: "MaxOutputTokens");
    public static readonly RequestParameter EnableThinking = new(Names.EnableThinking, ParameterKind.Boolean);
    public static readonly RequestParameter OcrOptions = new(Names.OcrOptions, ParameterKind.Object);

    /// <summary>Every Responses parameter, by wire name.</summary>
    public static readonly RequestParameterTable Table = new(
        EndpointPath,
        Model, Input, Instructions, PreviousResponseId, Conversation, Stream, Tools, Reasoning,
        Store, ToolChoice, Temperature, TopP, MaxOutputTokens, EnableThinking, OcrOptions);

    /// <summary>The wire names of the body parameters.</summary>
    public static class Names
    {
        public const string Model = "model";
        public const string Input = "input";
        public const string Instructions = "instructions";
        public const string PreviousResponseId = "previous_response_id";
        public const string Conversation = "conversation";
        public const string Stream = "stream";
        public const string Store = "store";
        public const string Tools = "tools";
        public const string ToolChoice = "tool_choice";
        public const string Temperature = "temperature";
        public const string TopP = "top_p";
        public const string Reasoning = "reasoning";
        public const string Effort = "effort";
        public const string MaxOutputTokens = "max_output_tokens";
        public const string EnableThinking = "enable_thinking";
        public const string OcrOptions = "ocr_options";
    }

    /// <summary>Names inside <c>input[]</c> items, their content parts, <c>tools[]</c> and <c>tool_choice</c>.</summary>
    public static class Fields
    {
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
        public static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        public static readonly JsonEncodedText ImageUrl = JsonEncodedText.Encode("image_url");
        public static readonly JsonEncodedText FileUrl = JsonEncodedText.Encode("file_url");
        public static readonly JsonEncodedText CallId = JsonEncodedText.Encode("call_id");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Arguments = JsonEncodedText.Encode("arguments");
        public static readonly JsonEncodedText Output = JsonEncodedText.Encode("output");
        public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
        public static readonly JsonEncodedText Parameters = JsonEncodedText.Encode("parameters");
        public static readonly JsonEncodedText Strict = JsonEncodedText.Encode("strict");
        public static readonly JsonEncodedText VectorStoreIds = JsonEncodedText.Encode("vector_store_ids");
        public static readonly JsonEncodedText ServerProtocol = JsonEncodedText.Encode("server_protocol");
        public static readonly JsonEncodedText ServerLabel = JsonEncodedText.Encode("server_label");
        public static readonly JsonEncodedText ServerDescription = JsonEncodedText.Encode("server_description");
        public static readonly JsonEncodedText ServerUrl = JsonEncodedText.Encode("server_url");
        public static readonly JsonEncodedText Headers = JsonEncodedText.Encode("headers");
        public static readonly JsonEncodedText Mode = JsonEncodedText.Encode("mode");
        public static readonly JsonEncodedText Tools = JsonEncodedText.Encode("tools");
        public static readonly JsonEncodedText Effort = JsonEncodedText.Encode(Names.Effort);
    }

    /// <summary>The fixed values: roles, item and part types, tool types, <c>tool_choice</c> modes, MCP protocol.</summary>
    public static class Values
    {
        public static readonly JsonEncodedText System = JsonEncodedText.Encode("system");
        public static readonly JsonEncodedText Developer = JsonEncodedText.Encode("developer");
        public static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
        public static readonly JsonEncodedText Assistant = JsonEncodedText.Encode("assistant");
        public static readonly JsonEncodedText InputText = JsonEncodedText.Encode("input_text");
        public static readonly JsonEncodedText InputImage = JsonEncodedText.Encode("input_image");
        public static readonly JsonEncodedText InputFile = JsonEncodedText.Encode("input_file");
        public static readonly JsonEncodedText FunctionCall = JsonEncodedText.Encode(ResponsesFields.ItemTypes.FunctionCall);
        public static readonly JsonEncodedText FunctionCallOutput = JsonEncodedText.Encode(ResponsesFields.ItemTypes.FunctionCallOutput);
        public static readonly JsonEncodedText Function = JsonEncodedText.Encode("function");
        public static readonly JsonEncodedText Object = JsonEncodedText.Encode("object");
        public static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties");
        public static readonly JsonEncodedText Auto = JsonEncodedText.Encode("auto");
        public static readonly JsonEncodedText None = JsonEncodedText.Encode("none");
        public static readonly JsonEncodedText Required = JsonEncodedText.Encode("required");
        public static readonly JsonEncodedText AllowedTools = JsonEncodedText.Encode("allowed_tools");
        public static readonly JsonEncodedText Sse = JsonEncodedText.Encode("sse");

        // Built-in tool types (section 1.5).
        public const string WebSearch = "web_search";
        public const string WebExtractor = "web_extractor";
        public const string CodeInterpreter = "code_interpreter";
        public const string WebSearchImage = "web_search_image";
        public const string ImageSearch = "image_search";
        public const string FileSearch = "file_search";
        public const string Mcp = "mcp";

        // reasoning.effort values (section 1.3).
        public const string EffortNone = "none";
        public const string EffortLow = "low";
        public const string EffortMedium = "medium";
        public const string EffortHigh = "high";
        public const string EffortXHigh = "xhigh";
    }

    /// <summary>
    /// Keys a hosted tool's <c>AdditionalProperties</c> may carry to ask for the service's companion tools (not wire names of their
    /// own): on <see cref="HostedWebSearchTool"/> <c>web_extractor</c> (also sends <c>{"type":"web_extractor"}</c>) and
    /// <c>web_search_image</c>; <c>image_search</c> likewise. Each takes <see langword="true"/>.
    /// </summary>
    public static class ToolSwitches
    {
        public const string WebExtractor = Values.WebExtractor;
        public const string WebSearchImage = Values.WebSearchImage;
        public const string ImageSearch = Values.ImageSearch;

        /// <summary>On <see cref="HostedMcpServerTool"/>: the <c>server_protocol</c> to send instead of <c>sse</c>.</summary>
        public const string ServerProtocol = "server_protocol";
    }
}
