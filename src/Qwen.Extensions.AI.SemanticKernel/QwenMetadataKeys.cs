namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>Keys under which Qwen results carry extra data in Semantic Kernel's <see cref="KernelContent.Metadata"/>.</summary>
public static class QwenMetadataKeys
{
    /// <summary>
    /// <c>"reasoning"</c>: the model's thinking (<c>reasoning_content</c>) as a <see cref="string"/>. On a
    /// <see cref="ChatMessageContent"/> it is the whole reasoning of that message; on a <see cref="StreamingChatMessageContent"/>
    /// it is the piece that arrived with that update. Absent when the model did not think.
    /// </summary>
    public const string Reasoning = "reasoning";
}
