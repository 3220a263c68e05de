namespace Qwen.Extensions.AI.Wire;

/// <summary>
/// The field names of <c>chat.completion</c> bodies, <c>chat.completion.chunk</c> events, embeddings lists and error bodies, as read
/// by <c>Mapping/CompletionJsonReader</c> and <c>Mapping/EmbeddingResponseReader</c>: each name once, as a constant for messages and keys and as UTF-8 (<see cref="Utf8"/>)
/// for matching. Assistant messages sent back in a request reuse the message names. Request parameters live in <see cref="ChatParameters"/>.
/// </summary>
internal static class ResponseFields
{
    // Top level of a completion, chunk or error body.
    public const string Id = "id";
    public const string Model = "model";
    public const string Created = "created";
    public const string Choices = "choices";
    public const string Usage = "usage";
    public const string Error = "error";
    public const string RequestId = "request_id";
    public const string Code = "code";
    public const string Message = "message";

    // One entry of choices (Message is shared with the top level).
    public const string Delta = "delta";
    public const string FinishReason = "finish_reason";
    public const string Index = "index";
    public const string Logprobs = "logprobs";

    // The message or delta; the request echoes Role, Content, ReasoningContent, ToolCalls and ToolCallId in messages[].
    public const string Role = "role";
    public const string Content = "content";
    public const string ReasoningContent = "reasoning_content";
    public const string ToolCalls = "tool_calls";
    public const string ToolCallId = "tool_call_id";
    public const string Audio = "audio";
    public const string Data = "data";
    public const string Transcript = "transcript";
    public const string Text = "text";
    public const string Annotations = "annotations";

    // tool_calls[] (Id and Index are shared with the levels above).
    public const string Function = "function";
    public const string Name = "name";
    public const string Arguments = "arguments";

    // usage.
    public const string PromptTokens = "prompt_tokens";
    public const string CompletionTokens = "completion_tokens";
    public const string TotalTokens = "total_tokens";
    public const string PromptTokensDetails = "prompt_tokens_details";
    public const string CompletionTokensDetails = "completion_tokens_details";
    public const string CachedTokens = "cached_tokens";
    public const string ReasoningTokens = "reasoning_tokens";
    public const string AudioTokens = "audio_tokens";
    public const string TextTokens = "text_tokens";

    // usage.prompt_tokens_details of an explicit context cache (dashscope-more.md 3.4): cache_creation is an object of counts by TTL
    // class, cache_type a string ("ephemeral"); both are flattened into AdditionalCounts keys (QwenPropertyNames.Cache*).
    public const string CacheCreationInputTokens = "cache_creation_input_tokens";
    public const string CacheCreation = "cache_creation";
    public const string CacheType = "cache_type";

    // An embeddings list: {"data":[{"embedding":[...],"index","object"}],"model","object","usage","id"} (Data, Index, Model,
    // Usage, Id and the token counts are shared with the names above).
    public const string Embedding = "embedding";

    // A file object, file list and delete result of the Files API (dashscope-more.md §7.1): {"id","object","bytes","filename",
    // "purpose","status","created_at"}, {"object":"list","data":[...],"has_more"}, {"id","object","deleted"} (Id and Data shared).
    public const string Object = "object";
    public const string Bytes = "bytes";
    public const string Filename = "filename";
    public const string Purpose = "purpose";
    public const string Status = "status";
    public const string CreatedAt = "created_at";
    public const string HasMore = "has_more";
    public const string Deleted = "deleted";

    /// <summary>The same names as UTF-8 literals, for <c>SequenceEqual</c> / <c>ValueTextEquals</c> against the reader.</summary>
    public static class Utf8
    {
        public static ReadOnlySpan<byte> Id => "id"u8;
        public static ReadOnlySpan<byte> Model => "model"u8;
        public static ReadOnlySpan<byte> Created => "created"u8;
        public static ReadOnlySpan<byte> Choices => "choices"u8;
        public static ReadOnlySpan<byte> Usage => "usage"u8;
        public static ReadOnlySpan<byte> Error => "error"u8;
        public static ReadOnlySpan<byte> RequestId => "request_id"u8;
        public static ReadOnlySpan<byte> Code => "code"u8;
        public static ReadOnlySpan<byte> Message => "message"u8;

        public static ReadOnlySpan<byte> Delta => "delta"u8;
        public static ReadOnlySpan<byte> FinishReason => "finish_reason"u8;
        public static ReadOnlySpan<byte> Index => "index"u8;
        public static ReadOnlySpan<byte> Logprobs => "logprobs"u8;

        public static ReadOnlySpan<byte> Role => "role"u8;
        public static ReadOnlySpan<byte> Content => "content"u8;
        public static ReadOnlySpan<byte> ReasoningContent => "reasoning_content"u8;
        public static ReadOnlySpan<byte> ToolCalls => "tool_calls"u8;
        public static ReadOnlySpan<byte> ToolCallId => "tool_call_id"u8;
        public static ReadOnlySpan<byte> Audio => "audio"u8;
        public static ReadOnlySpan<byte> Data => "data"u8;
        public static ReadOnlySpan<byte> Transcript => "transcript"u8;
        public static ReadOnlySpan<byte> Text => "text"u8;
        public static ReadOnlySpan<byte> Annotations => "annotations"u8;

        public static ReadOnlySpan<byte> Function => "function"u8;
        public static ReadOnlySpan<byte> Name => "name"u8;
        public static ReadOnlySpan<byte> Arguments => "arguments"u8;

        public static ReadOnlySpan<byte> PromptTokens => "prompt_tokens"u8;
        public static ReadOnlySpan<byte> CompletionTokens => "completion_tokens"u8;
        public static ReadOnlySpan<byte> TotalTokens => "total_tokens"u8;
        public static ReadOnlySpan<byte> PromptTokensDetails => "prompt_tokens_details"u8;
        public static ReadOnlySpan<byte> CompletionTokensDetails => "completion_tokens_details"u8;
        public static ReadOnlySpan<byte> CachedTokens => "cached_tokens"u8;
        public static ReadOnlySpan<byte> ReasoningTokens => "reasoning_tokens"u8;

        public static ReadOnlySpan<byte> Embedding => "embedding"u8;

        public static ReadOnlySpan<byte> Object => "object"u8;
        public static ReadOnlySpan<byte> Bytes => "bytes"u8;
        public static ReadOnlySpan<byte> Filename => "filename"u8;
        public static ReadOnlySpan<byte> Purpose => "purpose"u8;
        public static ReadOnlySpan<byte> Status => "status"u8;
        public static ReadOnlySpan<byte> CreatedAt => "created_at"u8;
        public static ReadOnlySpan<byte> HasMore => "has_more"u8;
        public static ReadOnlySpan<byte> Deleted => "deleted"u8;
    }
}
