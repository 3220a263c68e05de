using System.Text;
using System.Text.RegularExpressions;

namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>
/// The emulator's deterministic stand-in for a model: answers from the prompt, calls a tool when the prompt asks for what
/// a tool offers, answers from tool results, writes JSON for <c>response_format</c>, and thinks when thinking is on.
/// </summary>
internal static partial class DefaultResponder
{
    public const string Haiku = "Quiet loopback port,\nrequests arrive and depart,\nanswers bloom offline.";

    public const string SeaHaiku = "Waves fold into foam,\nsalt wind carries gull voices,\nthe tide keeps its time.";

    public const string SelfIntroduction = "I am Qwen, a large language model developed by Alibaba Cloud, here to answer questions, write text, call tools and reason step by step.";

    private static readonly Dictionary<string, string> Capitals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["france"] = "Paris", ["japan"] = "Tokyo", ["china"] = "Beijing", ["germany"] = "Berlin", ["italy"] = "Rome",
        ["spain"] = "Madrid", ["singapore"] = "Singapore", ["united kingdom"] = "London", ["canada"] = "Ottawa", ["australia"] = "Canberra",
    };

    public static ReplyPlan Respond(RequestFacts facts)
    {
        var prompt = facts.LastUserText.Trim();
        var thinks = ModelCatalog.AlwaysThinks(facts.Model) || facts.EnableThinking == true
            || (facts.EnableThinking is null && ModelCatalog.IsOpenSourceHybrid(facts.Model));

        var toolResults = facts.Messages.Skip(facts.LastUserIndex + 1).Where(m => m.Role == "tool").ToList();
        IReadOnlyList<EmulatorToolCall> calls = toolResults.Count == 0 ? ToolSelector.Select(facts, prompt) : [];

        string? content;
        string reasoning;
        if (calls.Count > 0)
        {
            content = string.Empty;
            reasoning = $"The user asks: \"{Shorten(prompt)}\". The tool {string.Join(" and ", calls.Select(c => c.Name).Distinct())} can provide this, so I will call it.";
        }
        else if (toolResults.Count > 0)
        {
            content = "Here is what I found. " + string.Join(" ", toolResults.Select(t => $"{t.ToolName} returned {t.Text.Trim()}{(t.Text.TrimEnd().EndsWith('.') ? string.Empty : ".")}"));
            reasoning = $"The tool results are in; I will answer \"{Shorten(prompt)}\" from them.";
        }
        else if (facts.ResponseFormatType == "json_schema" && facts.ResponseSchema is { } schema)
        {
            content = new SchemaInstanceWriter(schema, new PromptValues(prompt), allProperties: true, () => Answer(facts, prompt)).Write();
            reasoning = $"The user wants JSON matching the given schema for: \"{Shorten(prompt)}\".";
        }
        else if (facts.ResponseFormatType == "json_object")
        {
            content = "{\"answer\":" + System.Text.Json.JsonSerializer.Serialize(Answer(facts, prompt), EmulatorJsonContext.Default.String) + "}";
            reasoning = $"The user wants a JSON object answering: \"{Shorten(prompt)}\".";
        }
        else
        {
            content = Answer(facts, prompt);
            reasoning = $"The user asks: \"{Shorten(prompt)}\". Let me think about what they need, then answer clearly and concisely.";
        }

        var finish = calls.Count > 0 ? "tool_calls" : "stop";
        if (calls.Count == 0 && content is not null)
        {
            foreach (var stop in facts.Stop.Where(s => s.Length > 0))
            {
                var at = content.IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0)
                {
                    content = content[..at];
                }
            }

            if (facts.MaxTokens is { } max && TokenCounter.Count(content) > max)
            {
                content = TokenCounter.Truncate(content, max);
                finish = "length";
            }
        }

        if (thinks && facts.ThinkingBudget is { } budget)
        {
            reasoning = TokenCounter.Truncate(reasoning, budget);
        }

        return new ReplyPlan(content, thinks ? reasoning : null, calls, finish);
    }

    /// <summary>A plain-text answer to the prompt.</summary>
    public static string Answer(RequestFacts facts, string prompt)
    {
        var lower = prompt.ToLowerInvariant();
        var values = new PromptValues(prompt);
        var media = facts.LastUserIndex >= 0 ? facts.Messages[facts.LastUserIndex].Media : [];

        if (EchoVerb().IsMatch(lower) && values.QuotedTexts.Count > 0)
        {
            return values.QuotedTexts[0];
        }

        if (media.Count > 0)
        {
            return DescribeMedia(media, prompt);
        }

        if (values.Computed is { } c)
        {
            return $"{PromptValues.Format(c.A)} {c.Op} {PromptValues.Format(c.B)} = {PromptValues.Format(c.Result)}.";
        }

        if (lower.Contains("summar", StringComparison.Ordinal))
        {
            return Summarize(facts);
        }

        if (lower.Contains("who are you", StringComparison.Ordinal) || lower.Contains("your name", StringComparison.Ordinal)
            || lower.Contains("introduce yourself", StringComparison.Ordinal))
        {
            return SelfIntroduction;
        }

        if (lower.Contains("haiku", StringComparison.Ordinal) || lower.Contains("poem", StringComparison.Ordinal))
        {
            return lower.Contains("sea", StringComparison.Ordinal) || lower.Contains("ocean", StringComparison.Ordinal) ? SeaHaiku : Haiku;
        }

        if (lower.Contains("capital", StringComparison.Ordinal))
        {
            foreach (var (country, capital) in Capitals)
            {
                if (lower.Contains(country, StringComparison.Ordinal))
                {
                    return $"The capital of {Capitalize(country)} is {capital}.";
                }
            }
        }

        if (lower.Contains("joke", StringComparison.Ordinal))
        {
            return "Why did the developer go broke? Because he used up all his cache.";
        }

        if (prompt.Length == 0 || Greeting().IsMatch(lower))
        {
            return "Hello! I am Qwen. How can I help you today?";
        }

        return $"You asked: \"{Shorten(prompt, 200)}\". This is a deterministic answer: the local emulator restates your request instead of reasoning about it.";
    }

    private static string DescribeMedia(List<string> media, string prompt)
    {
        var sb = new StringBuilder(media.Count == 1 ? "The image you sent" : $"The {media.Count} images you sent");
        sb.Append(" (");
        sb.Append(string.Join("; ", media.Select(DescribeOne)));
        sb.Append(") arrived intact. ");
        sb.Append("The emulator cannot see pixels, so it only confirms what it received");
        sb.Append(prompt.Length > 0 ? $" for the request \"{Shorten(prompt)}\"." : ".");
        return sb.ToString();
    }

    private static string DescribeOne(string url)
    {
        if (url.StartsWith("data:", StringComparison.Ordinal))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var mediaType = url[5..Math.Max(5, url.IndexOf(';', StringComparison.Ordinal))];
            var bytes = comma < 0 ? 0 : (url.Length - comma - 1) * 3 / 4;
            return $"a {mediaType} image of about {bytes} bytes";
        }

        return $"an image at {url}";
    }

    private static string Summarize(RequestFacts facts)
    {
        var parts = facts.Messages.Take(Math.Max(0, facts.LastUserIndex)).Where(m => m.Role is "user" or "assistant" && m.Text.Length > 0)
            .Select(m => $"{m.Role} said \"{Shorten(m.Text, 60)}\"").ToList();
        return parts.Count == 0 ? "Summary: the conversation has just started." : "Summary: " + string.Join("; ", parts) + ".";
    }

    private static string Capitalize(string s) => string.Join(' ', s.Split(' ').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string Shorten(string text, int max = 120) => text.Length <= max ? text : text[..max] + "…";

    [GeneratedRegex(@"\b(say|repeat|reply|respond|answer|echo|return|output)\b", RegexOptions.CultureInvariant)]
    private static partial Regex EchoVerb();

    [GeneratedRegex(@"^\s*(hello|hi|hey|good (morning|afternoon|evening))\b", RegexOptions.CultureInvariant)]
    private static partial Regex Greeting();
}
