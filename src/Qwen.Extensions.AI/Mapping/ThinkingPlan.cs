namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// What a request says about thinking, decided from <c>ChatOptions.Reasoning.Effort</c>, the caller's extras and the model's facts
/// (dashscope-more.md 4 and 6.2): a <c>reasoning_effort</c> tier for the models that honour it, else <c>enable_thinking</c> plus a
/// <c>thinking_budget</c>; never <c>reasoning_effort</c> with <c>thinking_budget</c>; default thinking turned off for JSON mode on
/// models that refuse JSON mode while thinking.
/// </summary>
/// <remarks>
/// Precedence: an explicit extra (<c>reasoning_effort</c>, <c>enable_thinking</c>, <c>thinking_budget</c>) wins over the value derived
/// from <c>Reasoning.Effort</c>, and the derived values step aside around it: an explicit <c>reasoning_effort</c> drops the derived
/// <c>enable_thinking</c> and budget (as Alibaba's CLI does); an explicit <c>enable_thinking</c> or <c>thinking_budget</c> suppresses the
/// derived tier. Explicit <c>reasoning_effort</c> and <c>thinking_budget</c> together fail before sending: the service refuses them.
/// </remarks>
internal readonly struct ThinkingPlan
{
    /// <summary>The service's own words for the refused pair (dashscope-more.md 4.3).</summary>
    internal const string EffortAndBudgetRefusal = "'reasoning_effort' and 'thinking_budget' cannot be set simultaneously";

    /// <summary>The service's refusal of JSON mode while thinking on older models (dashscope-more.md 6.2).</summary>
    internal const string JsonModeRefusal = "Json mode response is not supported when enable_thinking is true";

    private readonly string? _tier;
    private readonly bool? _enableThinking;
    private readonly int _budget;

    private ThinkingPlan(string? tier, bool? enableThinking, int budget)
    {
        _tier = tier;
        _enableThinking = enableThinking;
        _budget = budget;
    }

    /// <summary>Decides the thinking fields of one request; throws <see cref="ArgumentException"/> for a combination the service refuses.</summary>
    /// <param name="effort"><c>ChatOptions.Reasoning.Effort</c>.</param>
    /// <param name="extras">The caller's extras (wire names).</param>
    /// <param name="capabilities">The model's facts.</param>
    /// <param name="jsonMode">Whether <c>ChatOptions.ResponseFormat</c> asks for JSON (with or without a schema).</param>
    /// <param name="model">The model id, for messages.</param>
    public static ThinkingPlan For(ReasoningEffort? effort, IReadOnlyDictionary<string, object?>? extras, QwenModelCapabilities capabilities, bool jsonMode, string model)
    {
        var effortExtra = StringExtra(extras, ChatParameters.ReasoningEffort.Name);
        var hasEffortExtra = ExtraParameters.Has(extras, ChatParameters.ReasoningEffort.Name);
        var hasEnableExtra = ExtraParameters.Has(extras, ChatParameters.EnableThinking.Name);
        var hasBudgetExtra = ExtraParameters.Has(extras, ChatParameters.ThinkingBudget.Name);
        if (HasValue(extras, ChatParameters.ReasoningEffort.Name) && HasValue(extras, ChatParameters.ThinkingBudget.Name))
        {
            throw new ArgumentException(
                "ChatOptions.AdditionalProperties sets both \"reasoning_effort\" and \"thinking_budget\"; DashScope refuses the pair " +
                $"(\"{EffortAndBudgetRefusal}\"). Keep one: reasoning_effort for a tier, thinking_budget for a token cap.",
                "options");
        }

        string? tier = null;
        bool? enable = null;
        var budget = 0;
        if (effort is { } e && !hasEffortExtra)
        {
            if ((capabilities & QwenModelCapabilities.ReasoningTiers) != 0 && !hasEnableExtra && !hasBudgetExtra)
            {
                tier = Tier(e);
            }
            else
            {
                enable = hasEnableExtra ? null : e != ReasoningEffort.None;
                budget = hasBudgetExtra ? 0 : e switch
                {
                    ReasoningEffort.Low => ChatRequestWriter.LowEffortThinkingBudget,
                    ReasoningEffort.Medium => ChatRequestWriter.MediumEffortThinkingBudget,
                    _ => 0,
                };
            }
        }

        if (jsonMode && (capabilities & QwenModelCapabilities.JsonModeWithThinking) == 0)
        {
            // The caller's own word on thinking, from the most explicit source: the enable_thinking extra, the reasoning_effort extra,
            // then ChatOptions.Reasoning.Effort. Null: the caller said nothing, so the model's default applies.
            bool? asked = hasEnableExtra && extras![ChatParameters.EnableThinking.Name] is { } v && LooseValue.TryGetBoolean(v, out var on) ? on
                : effortExtra is not null ? !string.Equals(effortExtra, "none", StringComparison.OrdinalIgnoreCase)
                : effort is { } requested ? requested != ReasoningEffort.None
                : null;
            if (asked == true)
            {
                throw new ArgumentException(
                    $"ChatOptions.ResponseFormat asks for JSON and the request asks for thinking, but '{model}' does not take JSON mode while " +
                    $"thinking (DashScope answers \"{JsonModeRefusal}\"; Qwen 3.7 and 3.8 accept it). Turn thinking off " +
                    "(ChatOptions.Reasoning.Effort = ReasoningEffort.None) or drop the response format; if this model does accept it, add " +
                    "QwenModelCapabilities.JsonModeWithThinking to its entry in QwenClientOptions.ModelCapabilities.",
                    "options");
            }

            if (asked is null && (capabilities & QwenModelCapabilities.ThinkingByDefault) != 0)
            {
                // Thinking was only the model's default: turn it off, so JSON mode is accepted.
                enable = false;
            }
        }

        return new ThinkingPlan(tier, enable, budget);
    }

    /// <summary>The wire tier for an MEAI effort (<c>minimal</c> and <c>max</c> are reachable through the extra only).</summary>
    internal static string Tier(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        ReasoningEffort.ExtraHigh => "xhigh",
        _ => throw new ArgumentOutOfRangeException("options", $"ChatOptions.Reasoning.Effort has the unknown value {(int)effort}."),
    };

    /// <summary>Writes the decided fields.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        if (_tier is not null)
        {
            writer.WriteString(ChatParameters.ReasoningEffort.EncodedName, _tier);
        }

        if (_enableThinking is { } enable)
        {
            writer.WriteBoolean(ChatParameters.EnableThinking.EncodedName, enable);
        }

        if (_budget > 0)
        {
            writer.WriteNumber(ChatParameters.ThinkingBudget.EncodedName, _budget);
        }
    }

    private static bool HasValue(IReadOnlyDictionary<string, object?>? extras, string name) =>
        extras is not null && extras.TryGetValue(name, out var value) && value is not (null or JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined });

    private static string? StringExtra(IReadOnlyDictionary<string, object?>? extras, string name) =>
        extras is not null && extras.TryGetValue(name, out var value)
            ? value switch
            {
                string s => s,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                _ => null,
            }
            : null;
}
