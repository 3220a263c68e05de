namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>
/// Decides which tools the default behaviour calls and with which arguments. It plans every call the prompt asks for
/// (each matching tool; one call per named target for a tool with one string parameter), then sends the calls not made
/// yet in this turn: all at once when <c>parallel_tool_calls</c> is true, else one per request.
/// </summary>
internal static class ToolSelector
{
    public static IReadOnlyList<EmulatorToolCall> Select(RequestFacts facts, string prompt)
    {
        if (facts.Tools.Count == 0 || facts.ToolChoice == "none")
        {
            return [];
        }

        var made = MadeCalls(facts);
        if (made.Count > 0 && facts.ToolChoice is "required" or "specific")
        {
            // A forced choice is satisfied by the calls already made in this turn.
            return [];
        }

        var planned = Plan(facts, prompt);
        if (made.Count >= planned.Count)
        {
            // Everything asked for was called (a client may re-serialize arguments, so the count also ends the turn).
            return [];
        }

        var remaining = planned.Where(c => !made.Contains(c.Name + "\n" + Canonical(c.ArgumentsJson))).ToList();
        return facts.ParallelToolCalls ? remaining : [.. remaining.Take(1)];
    }

    private static List<EmulatorToolCall> Plan(RequestFacts facts, string prompt)
    {
        var values = new PromptValues(prompt);
        List<ToolFact> chosen;
        if (facts.ToolChoice == "specific")
        {
            chosen = [.. facts.Tools.Where(t => t.Name == facts.ToolChoiceName).Take(1)];
        }
        else
        {
            var scored = facts.Tools.Select((tool, index) => (tool, index, score: Score(tool, values))).ToList();
            // Tools the prompt names in full ("SecretComputation", "secret computation", "the local time") win; "run echo_int"
            // does not also call every other echo_* tool. Otherwise, tools that score at least half the best score.
            var words = values.Words.ToHashSet(StringComparer.Ordinal);
            var named = scored.Where(s => s.score > 0 && PromptValues.SplitIdentifier(s.tool.Name).ToList() is { Count: > 0 } parts && parts.All(words.Contains)).ToList();
            // A tool named verbatim ("run echo_string") beats one whose words merely appear ("echo_string_list" minus stop words).
            var verbatim = named.Where(n => System.Text.RegularExpressions.Regex.IsMatch(prompt, @"(?<!\w)" + System.Text.RegularExpressions.Regex.Escape(n.tool.Name) + @"(?!\w)", System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1))).ToList();
            if (verbatim.Count > 0)
            {
                named = verbatim;
            }

            // A name inside a longer named one ("echo" in "echo_char") is not asked for on its own.
            named = [.. named.Where(n => !named.Any(o => o.tool != n.tool && WordsOf(o.tool).IsProperSupersetOf(WordsOf(n.tool))))];
            var best = scored.Count == 0 ? 0 : scored.Max(s => s.score);
            chosen = [.. (named.Count > 0 ? named : scored.Where(s => s.score > 0 && s.score * 2 >= best)).OrderByDescending(s => s.score).ThenBy(s => s.index).Select(s => s.tool)];
            if (facts.ToolChoice == "required" && chosen.Count == 0)
            {
                chosen = [facts.Tools[0]];
            }
        }

        var calls = new List<EmulatorToolCall>();
        foreach (var tool in chosen)
        {
            // One tool, one required string parameter, several targets ("Paris and Tokyo", "Elsa than Anna") → one call per target.
            var targets = values.ProperNouns.Count > 1 ? values.ProperNouns : values.ListItems;
            if (chosen.Count == 1 && targets.Count > 1 && SingleStringParameter(tool) is { } parameter)
            {
                foreach (var target in targets.Take(5))
                {
                    calls.Add(new EmulatorToolCall(tool.Name, "{" + JsonSerializer.Serialize(parameter, EmulatorJsonContext.Default.String) + ":" + JsonSerializer.Serialize(target, EmulatorJsonContext.Default.String) + "}"));
                }

                continue;
            }

            var arguments = tool.Parameters is { } schema ? new SchemaInstanceWriter(schema, new PromptValues(prompt), allProperties: false).Write() : "{}";
            calls.Add(new EmulatorToolCall(tool.Name, arguments));
        }

        return calls;
    }

    private static HashSet<string> WordsOf(ToolFact tool) => PromptValues.SplitIdentifier(tool.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The calls (name and canonical arguments) the assistant already made after the last user message.</summary>
    private static HashSet<string> MadeCalls(RequestFacts facts)
    {
        var made = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in facts.Messages.Skip(facts.LastUserIndex + 1).Where(m => m.Role == "assistant"))
        {
            if (message.Raw.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    if (call.TryGetProperty("function", out var f) && RequestFacts.Str(f, "name") is { } name)
                    {
                        made.Add(name + "\n" + Canonical(RequestFacts.Str(f, "arguments") ?? "{}"));
                    }
                }
            }
        }

        return made;
    }

    /// <summary>Arguments JSON without insignificant whitespace, so a client's re-serialization still matches.</summary>
    private static string Canonical(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                document.RootElement.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>Name words weigh 2, description words 1; a tool is called at 2 or more. Casing and separators do not matter.</summary>
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
        if (tool.Parameters is not { } schema || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var all = properties.EnumerateObject().ToList();
        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(x => x.GetString()).ToList() : [];
        var requiredProps = all.Where(p => required.Contains(p.Name)).ToList();
        return requiredProps.Count == 1 && requiredProps[0].Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "string"
            && !requiredProps[0].Value.TryGetProperty("enum", out _) ? requiredProps[0].Name : null;
    }
}
