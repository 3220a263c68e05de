namespace Qwen.Extensions.AI.Mapping;

/// <summary><c>finish_reason</c> → <see cref="ChatFinishReason"/>; a reason MEAI does not name is kept as it is.</summary>
internal static class FinishReasonMapper
{
    public static ChatFinishReason? ToFinishReason(string? reason) => reason switch
    {
        null or "" or "null" => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };
}
