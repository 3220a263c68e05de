namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>Decides which tools the default behaviour calls and with which arguments.</summary>
internal static class ToolSelector
{
    public static IReadOnlyList<EmulatorToolCall> Select(RequestFacts facts, string prompt)
    {
        if (facts.Tools.Count == 0 || facts.ToolChoice == "none")
        {
            return [];
        }

        var values = new PromptValues(prompt);
        var scored = facts.Tools.Select((tool, index) => (tool, index, score: Score(tool, values))).ToList();
        List<ToolFact> chosen;
        if (facts.ToolChoice == "specific")
        {
            chosen = [.. facts.Tools.Where(t => t.Name == facts.ToolChoiceName).Take(1)];
        }
        else
        {
            var matching = scored.Where(s => s.score > 0).OrderByDescending(s => s.score).ThenBy(s => s.index).Select(s => s.tool).ToList();
            if (facts.ToolChoice == "required" && matching.Count == 0)
            {
                matching = [facts.Tools[0]];
            }

            chosen = facts.ParallelToolCalls ? matching : [.. matching.Take(1)];
        }

        var calls = new List<EmulatorToolCall>();
        foreach (var tool in chosen)
        {
            // Parallel fan-out: one tool, one required string parameter, several proper nouns → one call per noun.
            if (facts.ParallelToolCalls && chosen.Count == 1 && values.ProperNouns.Count > 1 && SingleStringParameter(tool) is { } parameter)
            {
                foreach (var noun in values.ProperNouns.Take(5))
                {
                    calls.Add(new EmulatorToolCall(tool.Name, "{" + System.Text.Json.JsonSerializer.Serialize(parameter, EmulatorJsonContext.Default.String) + ":" + System.Text.Json.JsonSerializer.Serialize(noun, EmulatorJsonContext.Default.String) + "}"));
                }

                continue;
            }

            var arguments = tool.Parameters is { } schema ? new SchemaInstanceWriter(schema, new PromptValues(prompt), allProperties: false).Write() : "{}";
            calls.Add(new EmulatorToolCall(tool.Name, arguments));
        }

        return calls;
    }

    /// <summary>Name words weigh 2, description words 1; a tool is called at 2 or more.</summary>
    private static int Score(ToolFact tool, PromptValues values)
    {
        var words = values.Words.ToHashSet(StringComparer.Ordinal);
        var nameScore = PromptValues.SplitIdentifier(tool.Name).Distinct().Count(words.Contains) * 2;
        var descriptionScore = PromptValues.SplitText(tool.Description).Distinct().Count(words.Contains);
        var total = nameScore + descriptionScore;
        return total >= 2 ? total : 0;
    }

    private static string? SingleStringParameter(ToolFact tool)
    {
        if (tool.Parameters is not { } schema || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return null;
        }

        var all = properties.EnumerateObject().ToList();
        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.Array ? r.EnumerateArray().Select(x => x.GetString()).ToList() : [];
        var requiredProps = all.Where(p => required.Contains(p.Name)).ToList();
        return requiredProps.Count == 1 && requiredProps[0].Value.TryGetProperty("type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String && type.GetString() == "string"
            && !requiredProps[0].Value.TryGetProperty("enum", out _) ? requiredProps[0].Name : null;
    }
}
