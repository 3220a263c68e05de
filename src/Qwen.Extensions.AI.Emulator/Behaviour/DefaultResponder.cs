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
        ["france"] = "Paris",
        ["japan"] = "Tokyo",
        ["china"] = "Beijing",
        ["germany"] = "Berlin",
        ["italy"] = "Rome",
        ["spain"] = "Madrid",
        ["singapore"] = "Singapore",
        ["united kingdom"] = "London",
        ["canada"] = "Ottawa",
        ["australia"] = "Canberra",
    };

    public static ReplyPlan Respond(RequestFacts facts)
    {
        if (ModelCatalog.IsSpeechRecognition(facts.Model))
        {
            return Transcribe(facts);
        }

        var prompt = facts.LastUserText.Trim();
        var thinks = RequestValidator.Thinks(facts.Root, facts.Model);

        var toolResults = facts.Messages.Skip(facts.LastUserIndex + 1).Where(m => m.Role == "tool").ToList();
        var calls = ToolSelector.Select(facts, prompt);
        var instructions = facts.SystemText;

        string? content;
        string reasoning;
        if (calls.Count > 0)
        {
            content = string.Empty;
            reasoning = $"The user asks: \"{Shorten(prompt)}\". The tool {string.Join(" and ", calls.Select(c => c.Name).Distinct())} can provide this, so I will call it.";
        }
        else if (SummaryInstruction().IsMatch(instructions))
        {
            // MEAI's SummarizingChatReducer (and any "summarize the conversation" system instruction).
            content = SummarizeConversation(facts);
            reasoning = "The system message asks for a summary of the conversation.";
        }
        else if (toolResults.Count > 0)
        {
            var found = FromToolResults(toolResults, prompt);
            content = facts.ResponseFormatType == "json_schema" && facts.ResponseSchema is { } resultSchema
                ? new SchemaInstanceWriter(resultSchema, new PromptValues(prompt + " " + string.Join(" ", toolResults.Select(t => t.Text))), allProperties: true, () => found).Write()
                : found;
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
            content = ApplyInstructions(instructions, Answer(facts, prompt));
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

        if (thinks)
        {
            reasoning = ApplyEffort(facts, reasoning);
        }

        return new ReplyPlan(content, thinks ? reasoning : null, calls, finish);
    }

    /// <summary>
    /// Tiered thinking on the models that honour <c>reasoning_effort</c> (dashscope-more.md 4.2): the lower the tier, the shorter the
    /// reasoning (and its <c>reasoning_tokens</c>); <c>none</c> never gets here (no reasoning at all). With <c>preserve_thinking</c> on,
    /// the reasoning starts from the earlier turns' reasoning it was given back.
    /// </summary>
    private static string ApplyEffort(RequestFacts facts, string reasoning)
    {
        if (facts.PreservedReasoning.Count > 0)
        {
            reasoning = $"Earlier I reasoned: \"{Shorten(facts.PreservedReasoning[^1])}\". " + reasoning;
        }

        if (!ModelCatalog.HonoursReasoningEffort(facts.Model) || RequestFacts.Str(facts.Root, "reasoning_effort") is not { } effort)
        {
            return reasoning;
        }

        const string Check = " I will check each step once more before answering.";
        const string Alternatives = " I will also weigh the alternatives and rule out the ones that do not fit.";
        return effort switch
        {
            "minimal" => TokenCounter.Truncate(reasoning, 6),
            "low" => TokenCounter.Truncate(reasoning, 12),
            "high" => reasoning + Check,
            "xhigh" or "max" => reasoning + Check + Alternatives,
            _ => reasoning,
        };
    }

    /// <summary>
    /// qwen3-asr: a transcript and the <c>audio_info</c> annotation (the qwen3-asr chat page's shape). The emulator cannot listen,
    /// so the transcript names what it received: the file of a URL, or the size and type of a data URI. The language is
    /// <c>asr_options.language</c> when given, else <c>en</c>; the emotion is always <c>neutral</c>.
    /// </summary>
    private static ReplyPlan Transcribe(RequestFacts facts)
    {
        var audio = facts.LastUserIndex >= 0 ? facts.Messages[facts.LastUserIndex].Audio : [];
        var content = audio.Count == 0
            ? "No audio was sent, so there is nothing to transcribe."
            : "Transcript of " + string.Join(" and ", audio.Select(DescribeAudio)) + ".";
        if (facts.MaxTokens is { } max && TokenCounter.Count(content) > max)
        {
            return new ReplyPlan(TokenCounter.Truncate(content, max), null, [], "length", new AudioInfo("neutral", facts.AsrLanguage ?? "en"));
        }

        return new ReplyPlan(content, null, [], "stop", new AudioInfo("neutral", facts.AsrLanguage ?? "en"));
    }

    /// <summary>An audio part in words: <c>welcome.mp3</c> for a URL, <c>3 bytes of audio/wav audio</c> for a data URI.</summary>
    internal static string DescribeAudio(string data)
    {
        if (data.StartsWith("data:", StringComparison.Ordinal))
        {
            var semicolon = data.IndexOf(';', StringComparison.Ordinal);
            var mediaType = semicolon > 5 ? data[5..semicolon] : "unnamed";
            return $"{AudioBytes(data)} bytes of {mediaType} audio";
        }

        return Uri.TryCreate(data, UriKind.Absolute, out var uri) && uri.Segments.Length > 1 ? Uri.UnescapeDataString(uri.Segments[^1]) : data;
    }

    /// <summary>The decoded size of a base64 data URI.</summary>
    internal static int AudioBytes(string dataUri)
    {
        var comma = dataUri.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return 0;
        }

        var padding = dataUri.EndsWith("==", StringComparison.Ordinal) ? 2 : dataUri.EndsWith('=') ? 1 : 0;
        return Math.Max(0, ((dataUri.Length - comma - 1) * 3 / 4) - padding);
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

        if (facts.Documents.Count > 0)
        {
            return DocumentReader.Answer(facts.Documents, prompt);
        }

        if (media.Count > 0)
        {
            return DescribeMedia(media, prompt);
        }

        var audio = facts.LastUserIndex >= 0 ? facts.Messages[facts.LastUserIndex].Audio : [];
        if (audio.Count > 0)
        {
            return $"The audio you sent ({string.Join("; ", audio.Select(DescribeAudio))}) arrived intact. The emulator cannot listen, so it only confirms what it received"
                + (prompt.Length > 0 ? $" for the request \"{Shorten(prompt)}\"." : ".");
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

    /// <summary>Quotes each tool result and, for a prompt that asks for a difference or a total of numeric results, computes it.</summary>
    private static string FromToolResults(List<MessageFact> results, string prompt)
    {
        var text = "Here is what I found. " + string.Join(" ", results.Select(t => $"{t.ToolName} returned {t.Text.Trim()}{(t.Text.TrimEnd().EndsWith('.') ? string.Empty : ".")}"));
        var numbers = results.Select(r => double.TryParse(r.Text.Trim().Trim('"'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (double?)null).ToList();
        if (numbers.Count >= 2 && numbers.All(n => n is not null))
        {
            var lower = prompt.ToLowerInvariant();
            if (Difference().IsMatch(lower))
            {
                text += $" The difference is {PromptValues.Format(Math.Abs(numbers[0]!.Value - numbers[1]!.Value))}.";
            }
            else if (Total().IsMatch(lower))
            {
                text += $" The total is {PromptValues.Format(numbers.Sum(n => n!.Value))}.";
            }
        }

        return text;
    }

    /// <summary>Honours simple instructions of the system messages: a fixed reply ("always reply with 'X'") and letter case.</summary>
    private static string ApplyInstructions(string instructions, string answer)
    {
        if (instructions.Length == 0)
        {
            return answer;
        }

        if (FixedReply().Match(instructions) is { Success: true } fixedReply)
        {
            return fixedReply.Groups[1].Success ? fixedReply.Groups[1].Value : fixedReply.Groups[2].Value;
        }

        var lower = instructions.ToLowerInvariant();
        if (lower.Contains("uppercase", StringComparison.Ordinal) || lower.Contains("upper case", StringComparison.Ordinal) || lower.Contains("capital letters", StringComparison.Ordinal))
        {
            return answer.ToUpperInvariant();
        }

        if (lower.Contains("lowercase", StringComparison.Ordinal) || lower.Contains("lower case", StringComparison.Ordinal))
        {
            return answer.ToLowerInvariant();
        }

        return answer;
    }

    /// <summary>A summary of every user and assistant message (earlier summaries included), for a summarization instruction.</summary>
    private static string SummarizeConversation(RequestFacts facts)
    {
        var parts = facts.Messages.Where(m => m.Role is "user" or "assistant" && m.Text.Length > 0)
            .Select(m => $"the {m.Role} said \"{Shorten(m.Text, 80)}\"").ToList();
        return parts.Count == 0 ? "Summary: the conversation has not started yet." : "Summary: " + string.Join("; ", parts) + ".";
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
            var padding = url.EndsWith("==", StringComparison.Ordinal) ? 2 : url.EndsWith('=') ? 1 : 0;
            var bytes = comma < 0 ? 0 : ((url.Length - comma - 1) * 3 / 4) - padding;
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

    [GeneratedRegex(@"\bsummar(y|ize|ise|izing|ising)\b[\s\S]*\b(conversation|chat|dialogue|messages)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SummaryInstruction();

    [GeneratedRegex(@"\b(?:reply|respond|answer)\s+(?:only\s+)?with\s+(?:""([^""]+)""|'([^']+)')", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FixedReply();

    [GeneratedRegex(@"\b(older|younger|difference|how much (more|less|bigger|smaller|taller|shorter)|minus|subtract)", RegexOptions.CultureInvariant)]
    private static partial Regex Difference();

    [GeneratedRegex(@"\b(sum|total|altogether|combined|add up|together)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Total();

    [GeneratedRegex(@"^\s*(hello|hi|hey|good (morning|afternoon|evening))\b", RegexOptions.CultureInvariant)]
    private static partial Regex Greeting();
}
