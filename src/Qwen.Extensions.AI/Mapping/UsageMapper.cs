using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Mapping;

/// <summary><c>usage</c> → <see cref="UsageDetails"/>: cached and reasoning tokens into their own properties, other details into <see cref="UsageDetails.AdditionalCounts"/>.</summary>
internal static class UsageMapper
{
    public static UsageDetails ToUsageDetails(UsageFrame usage)
    {
        var details = new UsageDetails
        {
            InputTokenCount = usage.PromptTokens,
            OutputTokenCount = usage.CompletionTokens,
            TotalTokenCount = usage.TotalTokens ?? (usage.PromptTokens + usage.CompletionTokens),
            CachedInputTokenCount = usage.CachedTokens,
            ReasoningTokenCount = usage.ReasoningTokens,
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
}
