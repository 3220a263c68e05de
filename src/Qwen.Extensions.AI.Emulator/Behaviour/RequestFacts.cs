namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>What the default behaviour needs to know about a (validated) request body.</summary>
internal sealed class RequestFacts
{
    private RequestFacts(JsonElement root)
    {
        Root = root;
    }

    public JsonElement Root { get; }

    public string Model { get; private set; } = string.Empty;

    public bool Stream { get; private set; }

    public bool IncludeUsage { get; private set; }

    public List<MessageFact> Messages { get; } = [];

    public List<ToolFact> Tools { get; } = [];

    /// <summary>"auto", "none", "required" or "specific".</summary>
    public string ToolChoice { get; private set; } = "auto";

    public string? ToolChoiceName { get; private set; }

    public bool ParallelToolCalls { get; private set; }

    public bool? EnableThinking { get; private set; }

    public int? ThinkingBudget { get; private set; }

    public string? ResponseFormatType { get; private set; }

    public JsonElement? ResponseSchema { get; private set; }

    public int? MaxTokens { get; private set; }

    /// <summary>Gets <c>asr_options.language</c> (qwen3-asr), when given.</summary>
    public string? AsrLanguage { get; private set; }

    /// <summary>Gets the number of choices (<c>n</c>), 1 when absent.</summary>
    public int N { get; private set; } = 1;

    /// <summary>Gets the text of every system message, in order (the leading one first).</summary>
    public string SystemText => string.Join("\n", Messages.Where(m => m.Role == "system" && !m.Text.StartsWith("fileid://", StringComparison.Ordinal)).Select(m => m.Text));

    public List<string> Stop { get; } = [];

    /// <summary>Gets the ids referenced by <c>fileid://</c> system messages, in order (a message may list several, comma-separated).</summary>
    public IEnumerable<string> FileIds =>
        Messages.Where(m => m.Role == "system" && m.Text.TrimStart().StartsWith("fileid://", StringComparison.Ordinal))
            .SelectMany(m => m.Text.Split(','))
            .Select(part => part.Trim())
            .Where(part => part.StartsWith("fileid://", StringComparison.Ordinal))
            .Select(part => part["fileid://".Length..]);

    /// <summary>Gets the uploaded files of <see cref="FileIds"/>, filled in by the chat handler, which answers 400 for an unknown id.</summary>
    public List<StoredFile> Documents { get; } = [];

    public string LastUserText { get; private set; } = string.Empty;

    public int LastUserIndex { get; private set; } = -1;

    /// <summary>
    /// Gets the <c>reasoning_content</c> of earlier assistant turns that the model reads back: all of them with <c>preserve_thinking</c> on
    /// (explicitly, or by default on qwen3.8-max; dashscope-more.md 4.4), none otherwise. They count as prompt tokens.
    /// </summary>
    public List<string> PreservedReasoning { get; } = [];

    public static RequestFacts From(JsonElement root)
    {
        var facts = new RequestFacts(root);
        facts.Model = Str(root, "model") ?? string.Empty;
        facts.Stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        facts.IncludeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        facts.ParallelToolCalls = root.TryGetProperty("parallel_tool_calls", out var p) && p.ValueKind == JsonValueKind.True;
        if (root.TryGetProperty("enable_thinking", out var et) && et.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            facts.EnableThinking = et.ValueKind == JsonValueKind.True;
        }

        if (root.TryGetProperty("thinking_budget", out var tb) && tb.ValueKind == JsonValueKind.Number && tb.TryGetInt32(out var budget))
        {
            facts.ThinkingBudget = budget;
        }

        if (root.TryGetProperty("asr_options", out var asr) && Str(asr, "language") is { Length: > 0 } language)
        {
            facts.AsrLanguage = language;
        }

        if (root.TryGetProperty("max_tokens", out var mt) && mt.ValueKind == JsonValueKind.Number && mt.TryGetInt32(out var max))
        {
            facts.MaxTokens = max;
        }

        if (root.TryGetProperty("n", out var nValue) && nValue.ValueKind == JsonValueKind.Number && nValue.TryGetInt32(out var choices))
        {
            facts.N = choices;
        }

        if (root.TryGetProperty("stop", out var stop))
        {
            if (stop.ValueKind == JsonValueKind.String)
            {
                facts.Stop.Add(stop.GetString()!);
            }
            else if (stop.ValueKind == JsonValueKind.Array)
            {
                facts.Stop.AddRange(stop.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
            }
        }

        if (root.TryGetProperty("response_format", out var rf) && rf.ValueKind == JsonValueKind.Object)
        {
            facts.ResponseFormatType = Str(rf, "type");
            if (rf.TryGetProperty("json_schema", out var js) && js.ValueKind == JsonValueKind.Object && js.TryGetProperty("schema", out var schema))
            {
                facts.ResponseSchema = schema;
            }
        }

        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object)
                {
                    facts.Tools.Add(new ToolFact(Str(f, "name") ?? string.Empty, Str(f, "description") ?? string.Empty, f.TryGetProperty("parameters", out var ps) ? ps : null));
                }
            }
        }

        if (root.TryGetProperty("tool_choice", out var tc))
        {
            if (tc.ValueKind == JsonValueKind.String)
            {
                facts.ToolChoice = tc.GetString() ?? "auto";
            }
            else if (tc.ValueKind == JsonValueKind.Object && tc.TryGetProperty("function", out var tf) && tf.ValueKind == JsonValueKind.Object)
            {
                facts.ToolChoice = "specific";
                facts.ToolChoiceName = Str(tf, "name");
            }
        }

        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in messages.EnumerateArray())
            {
                var fact = new MessageFact(Str(m, "role") ?? string.Empty, TextOf(m), m);
                if (m.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in content.EnumerateArray())
                    {
                        var type = Str(part, "type");
                        if (type is "image_url" && part.TryGetProperty("image_url", out var iu2))
                        {
                            fact.Media.Add(iu2.ValueKind == JsonValueKind.String ? iu2.GetString() ?? string.Empty : Str(iu2, "url") ?? string.Empty);
                        }
                        else if (type is "video_url" && part.TryGetProperty("video_url", out var vu))
                        {
                            fact.Media.Add(Str(vu, "url") ?? string.Empty);
                        }
                        else if (type is "input_audio" && part.TryGetProperty("input_audio", out var ia) && Str(ia, "data") is { Length: > 0 } audio)
                        {
                            fact.Audio.Add(audio);
                        }
                        else if (type is "video" && part.TryGetProperty("video", out var frames) && frames.ValueKind == JsonValueKind.Array)
                        {
                            fact.Media.AddRange(frames.EnumerateArray().Select(x => x.GetString() ?? string.Empty));
                        }
                    }
                }

                if (m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        var id = Str(call, "id") ?? string.Empty;
                        var name = call.TryGetProperty("function", out var cf) ? Str(cf, "name") ?? string.Empty : string.Empty;
                        callNames[id] = name;
                    }
                }

                if (fact.Role == "tool")
                {
                    fact.ToolCallId = Str(m, "tool_call_id");
                    fact.ToolName = fact.ToolCallId is { } tid && callNames.TryGetValue(tid, out var n) ? n : "the tool";
                }

                facts.Messages.Add(fact);
            }
        }

        var preserve = root.TryGetProperty("preserve_thinking", out var pt) && pt.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? pt.ValueKind == JsonValueKind.True
            : ModelCatalog.PreservesThinkingByDefault(facts.Model);
        if (preserve)
        {
            facts.PreservedReasoning.AddRange(facts.Messages.Where(m => m.Role == "assistant").Select(m => Str(m.Raw, "reasoning_content")).OfType<string>().Where(r => r.Length > 0));
        }

        for (var i = facts.Messages.Count - 1; i >= 0; i--)
        {
            if (facts.Messages[i].Role == "user")
            {
                facts.LastUserIndex = i;
                facts.LastUserText = facts.Messages[i].Text;
                break;
            }
        }

        return facts;
    }

    /// <summary>The text of a message: a string content, or its text parts joined by a space.</summary>
    public static string TextOf(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString() ?? string.Empty;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (Str(part, "type") == "text" && Str(part, "text") is { } text)
            {
                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(text);
            }
        }

        return sb.ToString();
    }

    public static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>One message of the request.</summary>
internal sealed class MessageFact(string role, string text, JsonElement raw)
{
    public string Role { get; } = role;

    public string Text { get; } = text;

    public JsonElement Raw { get; } = raw;

    public List<string> Media { get; } = [];

    /// <summary>Gets the <c>input_audio.data</c> of each audio part: a URL or a data URI.</summary>
    public List<string> Audio { get; } = [];

    public string? ToolCallId { get; set; }

    public string? ToolName { get; set; }
}

/// <summary>One function tool of the request.</summary>
internal sealed record ToolFact(string Name, string Description, JsonElement? Parameters);
