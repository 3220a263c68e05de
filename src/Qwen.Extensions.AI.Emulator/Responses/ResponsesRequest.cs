namespace Qwen.Extensions.AI.Emulator.Responses;

/// <summary>One tool of a request (§1.5): a flat function or a built-in tool.</summary>
internal sealed record ToolSpec(string Type, JsonElement Raw)
{
    public string? Name => Str(Raw, "name");

    public string? ServerLabel => Str(Raw, "server_label");

    public IReadOnlyList<string> VectorStoreIds => Raw.TryGetProperty("vector_store_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
        ? [.. ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)]
        : [];

    internal static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>A create request (§1.3), parsed and checked the way the service checks it (§1.3 validation messages, §1.5, §1.10).</summary>
internal sealed class ResponsesRequest
{
    private ResponsesRequest(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public string Model { get; private set; } = string.Empty;

    public bool Stream { get; private set; }

    public bool Store { get; private set; } = true;

    public string? Instructions { get; private set; }

    public string? PreviousResponseId { get; private set; }

    public string? Effort { get; private set; }

    public bool? EnableThinking { get; private set; }

    public int? MaxOutputTokens { get; private set; }

    public List<ToolSpec> Tools { get; } = [];

    /// <summary>Gets <c>auto</c>, <c>none</c> or <c>required</c> (an <c>allowed_tools</c> object gives its mode).</summary>
    public string ToolChoice { get; private set; } = "auto";

    /// <summary>Gets the tools an <c>allowed_tools</c> choice names (function names or built-in types), or <see langword="null"/> for all.</summary>
    public HashSet<string>? AllowedTools { get; private set; }

    public List<ContextItem> Input { get; } = [];

    /// <summary>Gets a value indicating whether the model thinks: <c>enable_thinking</c>, else a <c>reasoning.effort</c> other than
    /// <c>none</c>, else (neither given) the qwen3.8 models, whose default effort shows reasoning in the capture [capture P-DART].</summary>
    public bool Thinks => EnableThinking ?? (Effort is { } effort ? effort != "none" : Model.StartsWith("qwen3.8", StringComparison.Ordinal));

    /// <summary>Whether <paramref name="tool"/> may be called under <see cref="ToolChoice"/> and <see cref="AllowedTools"/>.</summary>
    public bool Allows(ToolSpec tool) =>
        ToolChoice != "none" && (AllowedTools is null || AllowedTools.Contains(tool.Type == "function" ? tool.Name ?? string.Empty : tool.Type));

    /// <summary>Reads a request body; on failure returns the documented error (code, message) instead.</summary>
    public static (ResponsesRequest? Request, string? Code, string? Message) Parse(JsonElement? body, IEnumerable<string> additionalModels)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root)
        {
            return Fail("[400] invalid_request_error: The request body is not a JSON object.");
        }

        var request = new ResponsesRequest(root)
        {
            Stream = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True,
        };
        if (!root.TryGetProperty("model", out var model) || model.ValueKind == JsonValueKind.Null)
        {
            return Fail(ResponsesCatalog.MissingParameter("model"), request);
        }

        request.Model = model.ValueKind == JsonValueKind.String ? model.GetString()! : model.GetRawText();
        if (!ResponsesCatalog.IsModel(request.Model, additionalModels))
        {
            return Fail(ResponsesCatalog.UnsupportedModel(request.Model), request);
        }

        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            return Fail(ResponsesCatalog.MissingParameter("input"), request);
        }

        if (root.TryGetProperty("reasoning", out var reasoning) && reasoning.ValueKind == JsonValueKind.Object
            && reasoning.TryGetProperty("effort", out var effort) && effort.ValueKind != JsonValueKind.Null)
        {
            var value = Text(effort);
            if (effort.ValueKind != JsonValueKind.String || Array.IndexOf(ResponsesCatalog.Efforts, value) < 0)
            {
                return Fail($"Invalid 'reasoning.effort': {value}. Supported values are: ('none','minimal','low','medium','high','xhigh','max').", request);
            }

            request.Effort = value;
        }

        if (root.TryGetProperty("max_output_tokens", out var max) && max.ValueKind != JsonValueKind.Null)
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var maxTokens) || maxTokens < ResponsesCatalog.MinOutputTokens)
            {
                return Fail($"Invalid 'max_output_tokens': must be greater than or equal to 16, got {Text(max)}.", request);
            }

            request.MaxOutputTokens = maxTokens;
        }

        if (root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind != JsonValueKind.Null
            && (temperature.ValueKind != JsonValueKind.Number || temperature.GetDouble() is < 0 or >= 2))
        {
            return Fail($"Invalid 'temperature': {Text(temperature)}. Expected a value between [0,2), but got {Text(temperature)} instead.", request);
        }

        if (root.TryGetProperty("top_p", out var topP) && topP.ValueKind != JsonValueKind.Null
            && (topP.ValueKind != JsonValueKind.Number || topP.GetDouble() is <= 0 or > 1))
        {
            return Fail($"Invalid 'top_p': {Text(topP)}. Expected a value between (0,1], but got {Text(topP)} instead.", request);
        }

        if (root.TryGetProperty("store", out var store) && store.ValueKind != JsonValueKind.Null)
        {
            if (store.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Fail($"Invalid 'store': {Text(store)}. Must be a boolean.", request);
            }

            request.Store = store.ValueKind == JsonValueKind.True;
        }

        request.PreviousResponseId = ToolSpec.Str(root, "previous_response_id");
        if (request.PreviousResponseId is not null && root.TryGetProperty("conversation", out var conversation) && conversation.ValueKind != JsonValueKind.Null)
        {
            return Fail(ResponsesCatalog.MutuallyExclusiveMessage, request);
        }

        request.Instructions = ToolSpec.Str(root, "instructions");
        if (root.TryGetProperty("enable_thinking", out var thinking) && thinking.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            request.EnableThinking = thinking.ValueKind == JsonValueKind.True;
        }

        if (ReadTools(request) is { } toolError)
        {
            return Fail(toolError, request);
        }

        if (ReadToolChoice(request) is { } choiceError)
        {
            return Fail(choiceError, request);
        }

        if (ReadInput(request, input) is { } inputError)
        {
            return Fail(inputError, request);
        }

        return (request, null, null);
    }

    private static string? ReadTools(ResponsesRequest request)
    {
        if (!request.Root.TryGetProperty("tools", out var tools) || tools.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return "[400] invalid_request_error: Invalid 'tools': expected an array.";
        }

        foreach (var tool in tools.EnumerateArray())
        {
            var type = ToolSpec.Str(tool, "type") ?? string.Empty;
            switch (type)
            {
                case "function" when tool.TryGetProperty("function", out _) || ToolSpec.Str(tool, "name") is null:
                    // A Chat-style nested tool is refused [capture P-OMU].
                    return ResponsesCatalog.NestedToolMessage;
                case "file_search" when new ToolSpec(type, tool).VectorStoreIds.Count != 1:
                    return ResponsesCatalog.OneKnowledgeBaseMessage;
                case "mcp" when ToolSpec.Str(tool, "server_label") is null || ToolSpec.Str(tool, "server_url") is null || ToolSpec.Str(tool, "server_protocol") is null:
                    return "<400> InternalError.Algo.InvalidParameter: The mcp tool requires 'server_protocol', 'server_label' and 'server_url'.";
            }

            // Unknown tool types are accepted and echoed [capture P-OMU].
            request.Tools.Add(new ToolSpec(type, tool));
        }

        return null;
    }

    private static string? ReadToolChoice(ResponsesRequest request)
    {
        if (!request.Root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (choice.ValueKind == JsonValueKind.String && choice.GetString() is "auto" or "none" or "required")
        {
            request.ToolChoice = choice.GetString()!;
            // "required: only available when the tools list has exactly one tool" [doc RZ].
            return request.ToolChoice == "required" && request.Tools.Count != 1
                ? $"<400> InternalError.Algo.InvalidParameter: tool_choice 'required' is only available when tools has exactly one tool; got {request.Tools.Count}."
                : null;
        }

        if (choice.ValueKind == JsonValueKind.Object && ToolSpec.Str(choice, "type") == "allowed_tools"
            && ToolSpec.Str(choice, "mode") is "auto" or "required" && choice.TryGetProperty("tools", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
        {
            request.ToolChoice = ToolSpec.Str(choice, "mode")!;
            request.AllowedTools = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tool in allowed.EnumerateArray())
            {
                var type = ToolSpec.Str(tool, "type");
                var name = type == "function" ? ToolSpec.Str(tool, "name") : type;
                if (name is null || !request.Tools.Any(t => (t.Type == "function" ? t.Name : t.Type) == name))
                {
                    return $"<400> InternalError.Algo.InvalidParameter: tool_choice.tools names '{name}', which is not in tools.";
                }

                request.AllowedTools.Add(name);
            }

            return null;
        }

        return "<400> InternalError.Algo.InvalidParameter: tool_choice should be \"auto\", \"none\", \"required\" or {\"type\":\"allowed_tools\",\"mode\":\"auto\"|\"required\",\"tools\":[…]}.";
    }

    /// <summary>§1.4: a string, or items (messages with either naming family of content parts, function calls and outputs, echoes).</summary>
    private static string? ReadInput(ResponsesRequest request, JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            request.Input.Add(new ContextItem("message", "user", input.GetString()!) { Id = NewId("msg_") });
            return null;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return "[400] invalid_request_error: Invalid 'input': expected a string or an array of input items.";
        }

        foreach (var item in input.EnumerateArray())
        {
            var type = ToolSpec.Str(item, "type");
            var role = ToolSpec.Str(item, "role");
            var id = ToolSpec.Str(item, "id") ?? NewId("msg_");
            if (role is not null && type is null or "message")
            {
                var (text, images) = ContentOf(item);
                request.Input.Add(new ContextItem("message", role, text) { Id = id, Images = images, Raw = item.Clone() });
            }
            else if (type == "function_call")
            {
                request.Input.Add(new ContextItem("function_call", "assistant", string.Empty)
                {
                    Id = id,
                    CallId = ToolSpec.Str(item, "call_id"),
                    Name = ToolSpec.Str(item, "name"),
                    Arguments = ToolSpec.Str(item, "arguments") ?? "{}",
                    Raw = item.Clone(),
                });
            }
            else if (type == "function_call_output")
            {
                var output = item.TryGetProperty("output", out var o) ? (o.ValueKind == JsonValueKind.String ? o.GetString()! : o.GetRawText()) : string.Empty;
                request.Input.Add(new ContextItem("function_call_output", "tool", output) { Id = id, CallId = ToolSpec.Str(item, "call_id"), Raw = item.Clone() });
            }
            else if (type is not null)
            {
                request.Input.Add(new ContextItem(type, "assistant", string.Empty) { Id = id, Raw = item.Clone() });
            }
            else
            {
                return "[400] invalid_request_error: Invalid 'input': an item needs a 'role' or a 'type'.";
            }
        }

        return null;
    }

    private static (string Text, IReadOnlyList<string> Images) ContentOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return (string.Empty, []);
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return (content.GetString()!, []);
        }

        var text = new StringBuilder();
        var images = new List<string>();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                switch (ToolSpec.Str(part, "type"))
                {
                    case "text" or "input_text" or "output_text":
                        if (text.Length > 0)
                        {
                            text.Append(' ');
                        }

                        text.Append(ToolSpec.Str(part, "text"));
                        break;
                    case "image_url" or "input_image":
                        // image_url is {url} in the RZ schema, a string in RE and in the OpenAI-style part [doc RZ, RE].
                        if (part.TryGetProperty("image_url", out var url))
                        {
                            images.Add(url.ValueKind == JsonValueKind.String ? url.GetString()! : ToolSpec.Str(url, "url") ?? string.Empty);
                        }

                        break;
                }
            }
        }

        return (text.ToString(), images);
    }

    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString();

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static (ResponsesRequest?, string?, string?) Fail(string message, ResponsesRequest? partial = null) => (partial, "InvalidParameter", message);
}
