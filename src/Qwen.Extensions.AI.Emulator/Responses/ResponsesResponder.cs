using Qwen.Extensions.AI.Emulator.Behaviour;

namespace Qwen.Extensions.AI.Emulator.Responses;

/// <summary>
/// The emulator's deterministic model behind <c>/responses</c>: built-in tools run when offered and the prompt asks for them
/// (or a forced <c>tool_choice</c> names them), function tools are chosen by the chat emulator's rule (<see cref="ToolSelector"/>
/// over the conversation rewritten as chat messages), and the answer comes from <see cref="DefaultResponder"/>.
/// </summary>
internal static partial class ResponsesResponder
{
    /// <summary>The fixed knowledge-base hits of every emulated <c>file_search</c>.</summary>
    public static readonly FileSearchHit[] FileSearchHits =
    [
        new(0.7519, "Emulator knowledge base: product overview", "The emulator's knowledge base holds one product overview: the Qwen emulator answers offline and deterministically.", "file_emulator_overview"),
        new(0.6182, "Emulator knowledge base: FAQ", "FAQ: stored responses are kept for 7 days; the session cache lives 5 minutes after its last hit.", "file_emulator_faq"),
    ];

    /// <summary>The output items for a request whose whole conversation is <paramref name="context"/>; sets the status of <paramref name="record"/>.</summary>
    public static void Respond(ResponsesRequest request, IReadOnlyList<ContextItem> context, ResponseRecord record)
    {
        var lastUser = LastIndex(context, c => c.IsMessage && c.Role == "user");
        var prompt = lastUser >= 0 ? context[lastUser].Text.Trim() : string.Empty;
        var since = context.Skip(lastUser + 1).ToList();
        var builtIns = BuiltInCalls(request, prompt, since);
        var chat = ChatView(request, context, builtIns.Count > 0);
        var plan = DefaultResponder.Respond(RequestFacts.From(chat.RootElement));

        var reasoning = request.Thinks ? plan.Reasoning ?? $"The user asks: \"{prompt}\". I will answer it." : null;
        if (reasoning is not null && builtIns.Count > 0)
        {
            reasoning = $"The user asks: \"{Shorten(prompt)}\". I will use {string.Join(" and ", builtIns.Select(b => b.ToolName).Distinct())} first.";
        }

        if (reasoning is not null)
        {
            record.Output.Add(new OutputItem(OutputKind.Reasoning, ResponsesRequest.NewId("msg_")) { Text = reasoning });
        }

        record.Output.AddRange(builtIns);
        if (plan.ToolCalls.Count > 0)
        {
            foreach (var call in plan.ToolCalls)
            {
                record.Output.Add(FunctionCall(call.Name, call.ArgumentsJson));
            }

            return;
        }

        var text = string.Concat(builtIns.Select(Narrate)) + (plan.Content ?? string.Empty);
        if (request.MaxOutputTokens is { } max)
        {
            // qwen3.8 counts the reply and the chain of thought against max_output_tokens; the others only the reply [doc RZ].
            var budget = request.Model.StartsWith("qwen3.8", StringComparison.Ordinal) ? max - TokenCounter.Count(reasoning) : max;
            if (TokenCounter.Count(text) > budget)
            {
                text = TokenCounter.Truncate(text, Math.Max(0, budget));
                record.Status = "incomplete";
                record.IncompleteReason = "max_output_tokens";
            }
        }

        record.Output.Add(new OutputItem(OutputKind.Message, ResponsesRequest.NewId("msg_")) { Text = text });
    }

    public static OutputItem FunctionCall(string name, string arguments) =>
        new(OutputKind.FunctionCall, ResponsesRequest.NewId("msg_")) { Name = name, Arguments = arguments, CallId = "call_" + Guid.NewGuid().ToString("N")[..24] };

    /// <summary>The built-in tools this turn runs, in the order a model would: search, extract, compute, retrieve, MCP.</summary>
    private static List<OutputItem> BuiltInCalls(ResponsesRequest request, string prompt, List<ContextItem> since)
    {
        var calls = new List<OutputItem>();
        var offered = request.Tools.Where(t => t.Type != "function" && request.Allows(t)).ToList();
        if (offered.Count == 0 || prompt.Length == 0)
        {
            return calls;
        }

        var done = since.Select(c => c.Type).ToHashSet(StringComparer.Ordinal);
        // A forced choice (required with one tool, or allowed_tools in required mode) calls a built-in even when the prompt does not ask.
        var forced = request.ToolChoice == "required" && !request.Tools.Any(t => t.Type == "function" && request.Allows(t)) ? offered[0].Type : null;
        bool Wants(string type, bool asked) => offered.Any(t => t.Type == type) && !done.Contains(type + "_call") && (asked || forced == type);

        var url = UrlPattern().Match(prompt) is { Success: true } u ? u.Value.TrimEnd('.', ',', ')') : null;
        var extract = Wants("web_extractor", url is not null || ExtractWords().IsMatch(prompt)) && offered.Any(t => t.Type == "web_search");
        if (Wants("web_search", extract || SearchWords().IsMatch(prompt)))
        {
            calls.Add(new OutputItem(OutputKind.WebSearchCall, ResponsesRequest.NewId("msg_")) { Query = Shorten(prompt, 80), Urls = ResponsesCatalog.WebSources });
        }

        if (extract)
        {
            var target = url ?? ResponsesCatalog.WebSources[0];
            calls.Add(new OutputItem(OutputKind.WebExtractorCall, ResponsesRequest.NewId("msg_"))
            {
                Urls = [target],
                Goal = $"Extract the information that answers: {Shorten(prompt, 80)}",
                Output = $"The useful information in {target} for user goal {Shorten(prompt, 80)} as follows: \n\nEvidence in page: the emulator's fixed page text.\n\nSummary: {target} is a page the emulator read offline.",
            });
        }

        var computed = new PromptValues(prompt).Computed;
        if (Wants("code_interpreter", computed is not null) && computed is { } c)
        {
            var op = c.Op switch
            {
                "plus" => "+",
                "minus" => "-",
                "x" or "×" or "times" => "*",
                "÷" or "divided by" => "/",
                _ => c.Op,
            };
            calls.Add(new OutputItem(OutputKind.CodeInterpreterCall, ResponsesRequest.NewId("msg_"))
            {
                Code = $"print({PromptValues.Format(c.A)} {op} {PromptValues.Format(c.B)})",
                Logs = PromptValues.Format(c.Result) + "\n",
            });
        }

        if (Wants("file_search", FileWords().IsMatch(prompt)))
        {
            calls.Add(new OutputItem(OutputKind.FileSearchCall, ResponsesRequest.NewId("msg_")) { Query = Shorten(prompt, 80), Results = FileSearchHits });
        }

        foreach (var mcp in offered.Where(t => t.Type == "mcp"))
        {
            var label = mcp.ServerLabel ?? "mcp";
            if (Wants("mcp", prompt.Contains(label, StringComparison.OrdinalIgnoreCase) || McpWord().IsMatch(prompt)) && !calls.Any(x => x.Kind == OutputKind.McpCall))
            {
                var arguments = "{\"text\":" + JsonSerializer.Serialize(prompt, EmulatorJsonContext.Default.String) + "}";
                calls.Add(new OutputItem(OutputKind.McpCall, ResponsesRequest.NewId("msg_")) { Name = label + "-echo", ServerLabel = label, Arguments = arguments, Output = arguments });
            }
        }

        return calls;
    }

    private static string Narrate(OutputItem call) => call.Kind switch
    {
        OutputKind.WebSearchCall => $"According to the web search ({string.Join(", ", call.Urls)}): ",
        OutputKind.WebExtractorCall => $"The page {call.Urls[0]} was read. ",
        OutputKind.CodeInterpreterCall => $"The code interpreter ran `{call.Code}` and printed {call.Logs!.TrimEnd()}. ",
        OutputKind.FileSearchCall => $"The knowledge base says: {call.Results[0].Text} ",
        OutputKind.McpCall => $"The MCP server {call.ServerLabel} echoed {call.Output}. ",
        _ => string.Empty,
    };

    /// <summary>
    /// The conversation as a chat-completions body, so the chat emulator's rules decide function calls and answers: instructions
    /// and system/developer items → system messages, function calls → assistant <c>tool_calls</c>, their outputs → tool messages.
    /// </summary>
    private static JsonDocument ChatView(ResponsesRequest request, IReadOnlyList<ContextItem> context, bool builtInsRan)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", request.Model);
            w.WriteBoolean("enable_thinking", true);
            w.WriteStartArray("messages");
            if (request.Instructions is { } instructions)
            {
                w.WriteStartObject();
                w.WriteString("role", "system");
                w.WriteString("content", instructions);
                w.WriteEndObject();
            }

            foreach (var item in context)
            {
                switch (item.Type)
                {
                    case "message":
                        w.WriteStartObject();
                        w.WriteString("role", item.Role is "developer" ? "system" : item.Role);
                        w.WriteStartArray("content");
                        w.WriteStartObject();
                        w.WriteString("type", "text");
                        w.WriteString("text", item.Text);
                        w.WriteEndObject();
                        foreach (var image in item.Images)
                        {
                            w.WriteStartObject();
                            w.WriteString("type", "image_url");
                            w.WriteStartObject("image_url");
                            w.WriteString("url", image);
                            w.WriteEndObject();
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                        break;
                    case "function_call":
                        w.WriteStartObject();
                        w.WriteString("role", "assistant");
                        w.WriteString("content", string.Empty);
                        w.WriteStartArray("tool_calls");
                        w.WriteStartObject();
                        w.WriteString("id", item.CallId);
                        w.WriteString("type", "function");
                        w.WriteStartObject("function");
                        w.WriteString("name", item.Name);
                        w.WriteString("arguments", item.Arguments);
                        w.WriteEndObject();
                        w.WriteEndObject();
                        w.WriteEndArray();
                        w.WriteEndObject();
                        break;
                    case "function_call_output":
                        w.WriteStartObject();
                        w.WriteString("role", "tool");
                        w.WriteString("tool_call_id", item.CallId);
                        w.WriteString("content", item.Text);
                        w.WriteEndObject();
                        break;
                }
            }

            w.WriteEndArray();
            var functions = request.Tools.Where(t => t.Type == "function" && request.Allows(t)).ToList();
            if (functions.Count > 0)
            {
                w.WriteStartArray("tools");
                foreach (var tool in functions)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", tool.Name);
                    w.WriteString("description", ToolSpec.Str(tool.Raw, "description") ?? string.Empty);
                    if (tool.Raw.TryGetProperty("parameters", out var parameters))
                    {
                        w.WritePropertyName("parameters");
                        parameters.WriteTo(w);
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                // A forced choice among functions: one → that function, several → "required" (the best match); once per turn.
                if (request.ToolChoice == "required" && !builtInsRan)
                {
                    if (functions.Count == 1)
                    {
                        w.WriteStartObject("tool_choice");
                        w.WriteString("type", "function");
                        w.WriteStartObject("function");
                        w.WriteString("name", functions[0].Name);
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    else
                    {
                        w.WriteString("tool_choice", "required");
                    }
                }
            }

            w.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static int LastIndex(IReadOnlyList<ContextItem> items, Func<ContextItem, bool> match)
    {
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (match(items[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Shorten(string text, int max = 120) => text.Length <= max ? text : text[..max] + "…";

    [GeneratedRegex(@"https?://[^\s""'<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\b(search|web|latest|news|online|internet|look up|lookup|recent|sources?|websites?)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SearchWords();

    [GeneratedRegex(@"\b(extract|extraction|web ?page|home ?page|page)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExtractWords();

    [GeneratedRegex(@"\b(knowledge base|knowledge|documents?|docs|files?|manual|handbook|policy)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FileWords();

    [GeneratedRegex(@"\bmcp\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex McpWord();
}
