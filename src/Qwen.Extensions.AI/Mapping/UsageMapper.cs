namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// <c>usage</c> → <see cref="UsageDetails"/>: cached and reasoning tokens into their own properties, the audio and text counts of
/// <c>prompt_tokens_details</c> / <c>completion_tokens_details</c> (Qwen-Omni, qwen3-asr) into the input/output audio and text
/// members, and every detail other than cached and reasoning tokens into <see cref="UsageDetails.AdditionalCounts"/> (keyed
/// <c>prompt_tokens_details.image_tokens</c>, ...; the audio and text counts stay there too, as they were before they had members). A missing <c>total_tokens</c> is the checked sum of prompt and completion tokens;
/// a sum that overflows is dropped (left <see langword="null"/>), never wrapped and never thrown: one bad counter does not cost
/// the caller a good answer. (A counter that is not a whole number at all is a malformed payload, as before.)
/// </summary>
internal static class UsageMapper
{
    // The modality members are MEAI001 (evaluation) in MEAI 10.11; they are the members MEAI names for these counts.
#pragma warning disable MEAI001
    public static UsageDetails ToUsageDetails(UsageFrame usage)
    {
        var details = new UsageDetails
        {
            InputTokenCount = usage.PromptTokens,
            OutputTokenCount = usage.CompletionTokens,
            TotalTokenCount = usage.TotalTokens ?? CheckedSum(usage.PromptTokens, usage.CompletionTokens),
            CachedInputTokenCount = usage.CachedTokens,
            ReasoningTokenCount = usage.ReasoningTokens,
            InputAudioTokenCount = usage.InputAudioTokens,
            InputTextTokenCount = usage.InputTextTokens,
            OutputAudioTokenCount = usage.OutputAudioTokens,
            OutputTextTokenCount = usage.OutputTextTokens,
        };

        if (usage.Other is { Count: > 0 } other)
        {
            var counts = new AdditionalPropertiesDictionary<long>();
            foreach (var pair in other)
            {
                counts[pair.Key] = pair.Value;
            }

            details.AdditionalCounts = counts;
        }

        return details;
    }
#pragma warning restore MEAI001

    /// <summary>The sum, or <see langword="null"/> when either part is missing or the sum does not fit a <see cref="long"/>.</summary>
    private static long? CheckedSum(long? a, long? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return null;
        }

        try
        {
            return checked(x + y);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
