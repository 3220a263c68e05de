namespace Qwen.Extensions.AI.Emulator;

/// <summary>Token counts the emulator reports; a <see langword="null"/> count is computed from the request and reply.</summary>
public sealed record EmulatorUsage
{
    /// <summary>Gets the <c>prompt_tokens</c> value.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Gets the <c>completion_tokens</c> value.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>Gets the <c>total_tokens</c> value; computed as prompt + completion when <see langword="null"/>.</summary>
    public int? TotalTokens { get; init; }

    /// <summary>Gets the <c>prompt_tokens_details.cached_tokens</c> value.</summary>
    public int? CachedTokens { get; init; }

    /// <summary>Gets the <c>completion_tokens_details.reasoning_tokens</c> value.</summary>
    public int? ReasoningTokens { get; init; }
}
