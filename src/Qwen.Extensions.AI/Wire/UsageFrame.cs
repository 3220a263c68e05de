namespace Qwen.Extensions.AI.Wire;

/// <summary><c>usage</c>, with its <c>prompt_tokens_details</c> and <c>completion_tokens_details</c>; every field may be null.</summary>
internal sealed class UsageFrame
{
    public long? PromptTokens { get; set; }

    public long? CompletionTokens { get; set; }

    public long? TotalTokens { get; set; }

    public long? CachedTokens { get; set; }

    public long? ReasoningTokens { get; set; }

    /// <summary>Gets or sets <c>prompt_tokens_details.audio_tokens</c>.</summary>
    public long? InputAudioTokens { get; set; }

    /// <summary>Gets or sets <c>prompt_tokens_details.text_tokens</c>.</summary>
    public long? InputTextTokens { get; set; }

    /// <summary>Gets or sets <c>completion_tokens_details.audio_tokens</c>.</summary>
    public long? OutputAudioTokens { get; set; }

    /// <summary>Gets or sets <c>completion_tokens_details.text_tokens</c>.</summary>
    public long? OutputTextTokens { get; set; }

    /// <summary>Gets the other counts, keyed like <c>prompt_tokens_details.image_tokens</c>.</summary>
    public List<KeyValuePair<string, long>>? Other { get; set; }
}
