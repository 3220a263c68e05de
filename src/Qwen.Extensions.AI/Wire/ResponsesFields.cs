namespace Qwen.Extensions.AI.Wire;

/// <summary>
/// The field names of a Responses API answer (dashscope-more.md sections 1.6-1.10): the response object, its output items, usage
/// and the streaming events. Each name once; read by <c>Mapping/ResponsesResponseReader</c> and <c>Mapping/ResponsesStreamReader</c>.
/// </summary>
internal static class ResponsesFields
{
    // The response object.
    public const string Id = "id";
    public const string Object = "object";
    public const string CreatedAt = "created_at";
    public const string Model = "model";
    public const string Status = "status";
    public const string Output = "output";
    public const string Error = "error";
    public const string Usage = "usage";
    public const string IncompleteDetails = "incomplete_details";
    public const string Reason = "reason";
    public const string Store = "store";
    public const string RequestId = "request_id";
    public const string Code = "code";
    public const string Message = "message";
    public const string Deleted = "deleted";

    // Output items.
    public const string Type = "type";
    public const string Role = "role";
    public const string Content = "content";
    public const string Text = "text";
    public const string Annotations = "annotations";
    public const string Summary = "summary";
    public const string EncryptedContent = "encrypted_content";
    public const string Name = "name";
    public const string Arguments = "arguments";
    public const string CallId = "call_id";
    public const string Action = "action";
    public const string Query = "query";
    public const string Queries = "queries";
    public const string Sources = "sources";
    public const string Url = "url";
    public const string Urls = "urls";
    public const string Goal = "goal";
    public const string Outputs = "outputs";
    public const string Logs = "logs";
    public const string ContainerId = "container_id";
    public const string ServerLabel = "server_label";
    public const string Results = "results";
    public const string Score = "score";
    public const string Filename = "filename";
    public const string FileId = "file_id";
    public const string Title = "title";
    public const string Index = "index";

    // Usage.
    public const string InputTokens = "input_tokens";
    public const string OutputTokens = "output_tokens";
    public const string TotalTokens = "total_tokens";
    public const string InputTokensDetails = "input_tokens_details";
    public const string OutputTokensDetails = "output_tokens_details";
    public const string CachedTokens = "cached_tokens";
    public const string ReasoningTokens = "reasoning_tokens";
    public const string XDetails = "x_details";
    public const string XTools = "x_tools";
    public const string PromptTokensDetails = "prompt_tokens_details";
    public const string CacheCreationInputTokens = "cache_creation_input_tokens";
    public const string Count = "count";

    // Streaming event payloads.
    public const string Response = "response";
    public const string Item = "item";
    public const string ItemId = "item_id";
    public const string Delta = "delta";
    public const string SequenceNumber = "sequence_number";

    /// <summary><c>status</c> values of a response.</summary>
    public static class Statuses
    {
        public const string Completed = "completed";
        public const string Incomplete = "incomplete";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";
    }

    /// <summary><c>type</c> values of output (and input) items.</summary>
    public static class ItemTypes
    {
        public const string Message = "message";
        public const string Reasoning = "reasoning";
        public const string FunctionCall = "function_call";
        public const string FunctionCallOutput = "function_call_output";
        public const string WebSearchCall = "web_search_call";
        public const string WebExtractorCall = "web_extractor_call";
        public const string CodeInterpreterCall = "code_interpreter_call";
        public const string WebSearchImageCall = "web_search_image_call";
        public const string ImageSearchCall = "image_search_call";
        public const string McpCall = "mcp_call";
        public const string FileSearchCall = "file_search_call";

        // Content parts.
        public const string OutputText = "output_text";
        public const string SummaryText = "summary_text";
        public const string ReasoningText = "reasoning_text";
        public const string Logs = "logs";
        public const string Image = "image";
    }

    /// <summary>Streaming event types (section 1.9).</summary>
    public static class Events
    {
        public const string Created = "response.created";
        public const string InProgress = "response.in_progress";
        public const string Queued = "response.queued";
        public const string Completed = "response.completed";
        public const string Incomplete = "response.incomplete";
        public const string Failed = "response.failed";
        public const string Error = "error";
        public const string OutputItemAdded = "response.output_item.added";
        public const string OutputItemDone = "response.output_item.done";
        public const string OutputTextDelta = "response.output_text.delta";
        public const string ReasoningSummaryTextDelta = "response.reasoning_summary_text.delta";
        public const string ReasoningTextDelta = "response.reasoning_text.delta";
        public const string FunctionCallArgumentsDelta = "response.function_call_arguments.delta";
        public const string FunctionCallArgumentsDone = "response.function_call_arguments.done";
    }

    /// <summary>
    /// The <c>UsageDetails.AdditionalCounts</c> keys the client fills: cache creation from <c>usage.x_details[].prompt_tokens_details</c>,
    /// and per built-in tool the <c>usage.x_tools.{tool}.count</c> as <c>x_tools.{tool}</c> (for example <c>x_tools.web_search</c>).
    /// </summary>
    public static class UsageKeys
    {
        public const string CacheCreationInputTokens = "cache_creation_input_tokens";
        public const string ToolCountPrefix = "x_tools.";
    }
}
