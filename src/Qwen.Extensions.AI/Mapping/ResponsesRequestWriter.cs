using P = Qwen.Extensions.AI.Wire.ResponsesParameters;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Validates a Responses API request and writes its body (dashscope-more.md sections 1.3-1.5). Everything is checked before anything
/// is sent: a value the service would refuse or a feature it does not have fails here with an <see cref="ArgumentException"/> or a
/// <see cref="NotSupportedException"/> that says why.
/// </summary>
internal static class ResponsesRequestWriter
{
    private const int MaxToolNameLength = 64;

    /// <summary>What the client needs from the options besides the body.</summary>
    public readonly record struct Plan(bool Store, string? SessionCache);

    /// <summary>Reads the store flag and the session-cache switch (validating both) without writing anything.</summary>
    public static Plan GetPlan(ChatOptions? options)
    {
        var extras = options?.AdditionalProperties;
        var store = true;
        if (extras is not null && extras.TryGetValue(P.Names.Store, out var value) && value is not null)
        {
            store = LooseValue.TryGetBoolean(value, out var b)
                ? b
                : throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{P.Names.Store}\"] must be true or false; got {value}.", nameof(options));
        }

        string? sessionCache = null;
        if (extras is not null && extras.TryGetValue(QwenPropertyNames.SessionCache, out var cache) && cache is not null)
        {
            sessionCache = cache switch
            {
                _ when LooseValue.TryGetBoolean(cache, out var on) => on ? P.SessionCacheEnable : P.SessionCacheDisable,
                string s when s.Equals(P.SessionCacheEnable, StringComparison.OrdinalIgnoreCase) => P.SessionCacheEnable,
                string s when s.Equals(P.SessionCacheDisable, StringComparison.OrdinalIgnoreCase) => P.SessionCacheDisable,
                _ => throw new ArgumentException(
                    $"ChatOptions.AdditionalProperties[\"{QwenPropertyNames.SessionCache}\"] must be true/false or \"enable\"/\"disable\"; got {cache}.", nameof(options)),
            };
        }

        return new Plan(store, sessionCache);
    }

    /// <summary>
    /// The messages to send: all of them, or with <see cref="ChatOptions.ConversationId"/> only those after the last assistant
    /// message (the server already holds everything up to the previous response's output, as MEAI's OpenAI Responses client assumes).
    /// </summary>
    public static int FirstNewMessage(IList<ChatMessage> messages, ChatOptions? options)
    {
        if (options?.ConversationId is null)
        {
            return 0;
        }

        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.Assistant)
            {
                return i + 1;
            }
        }

        return 0;
    }

    public static void Write(IBufferWriter<byte> body, IList<ChatMessage> messages, ChatOptions? options, string model, bool stream, Plan plan)
    {
        var extras = options?.AdditionalProperties;
        if (options is not null)
        {
            Validate(options, plan);
        }

        var first = FirstNewMessage(messages, options);
        if (first >= messages.Count)
        {
            throw new ArgumentException(
                "messages has nothing after the last assistant message, and ChatOptions.ConversationId is set: the server already has the earlier turns, so there is no new input to send. Add a user message or tool results.",
                nameof(messages));
        }

        using var writer = new Utf8JsonWriter(body, JsonValueWriter.RelaxedOptions);
        writer.WriteStartObject();
        writer.WriteString(P.Model.EncodedName, model);
        writer.WriteStartArray(P.Input.EncodedName);
        for (var i = first; i < messages.Count; i++)
        {
            WriteMessage(writer, messages[i], i);
        }

        writer.WriteEndArray();

        if (Instructions(options) is { } instructions)
        {
            // Sent on every call: the service does not carry instructions across previous_response_id.
            writer.WriteString(P.Instructions.EncodedName, instructions);
        }

        if (options?.ConversationId is { } previous)
        {
            writer.WriteString(P.PreviousResponseId.EncodedName, previous);
        }

        if (stream)
        {
            writer.WriteBoolean(P.Stream.EncodedName, true);
        }

        if (options is not null)
        {
            WriteOptions(writer, options, extras);
        }

        if (extras is { Count: > 0 })
        {
            ExtraParameters.Write(writer, extras, P.Table, nameof(ChatOptions));
        }

        writer.WriteEndObject();
    }

    private static void Validate(ChatOptions options, Plan plan)
    {
        if (options.AllowBackgroundResponses is true || options.ContinuationToken is not null)
        {
            throw new NotSupportedException("DashScope's Responses API runs synchronously only (no 'background' mode), so ChatOptions.AllowBackgroundResponses and ContinuationToken are not supported.");
        }

        if (options.ConversationId is { } id && string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("ChatOptions.ConversationId is empty or whitespace; set a response id (ChatResponse.ConversationId) or leave it null.", nameof(options));
        }

        if (options.ConversationId is not null && !plan.Store)
        {
            throw new ArgumentException(
                $"ChatOptions.ConversationId is set together with AdditionalProperties[\"{P.Names.Store}\"] = false: the service refuses to continue a conversation from a response it is told not to store. Remove one of them.",
                nameof(options));
        }

        if (options.Temperature is { } t && !P.Temperature.InRange(t))
        {
            throw P.Temperature.TypedOutOfRange(t.ToString(CultureInfo.InvariantCulture));
        }

        if (options.TopP is { } p && !P.TopP.InRange(p))
        {
            throw P.TopP.TypedOutOfRange(p.ToString(CultureInfo.InvariantCulture));
        }

        if (options.MaxOutputTokens is { } max && !P.MaxOutputTokens.InRange(max))
        {
            throw P.MaxOutputTokens.TypedOutOfRange(max.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// <see cref="ChatOptions.Instructions"/>, plus a JSON response format carried as an instruction: the service ignores
    /// <c>text.format</c> (captured), so the schema is asked for in words, as on chat for models without <c>json_schema</c>.
    /// </summary>
    private static string? Instructions(ChatOptions? options)
    {
        var instructions = options?.Instructions;
        string? format = options?.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } json =>
                "Respond only with a JSON object" + (json.SchemaName is { Length: > 0 } name ? $" ('{name}'" + (json.SchemaDescription is { Length: > 0 } d ? $": {d}" : string.Empty) + ")" : string.Empty) +
                " that conforms to this JSON schema: " + schema.GetRawText(),
            ChatResponseFormatJson => "Respond only with a JSON object.",
            _ => null,
        };
        return format is null ? instructions : string.IsNullOrEmpty(instructions) ? format : instructions + "\n\n" + format;
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions options, AdditionalPropertiesDictionary? extras)
    {
        if (options.Temperature is { } temperature && !ExtraParameters.Has(extras, P.Names.Temperature))
        {
            writer.WriteNumber(P.Temperature.EncodedName, temperature);
        }

        if (options.TopP is { } topP && !ExtraParameters.Has(extras, P.Names.TopP))
        {
            writer.WriteNumber(P.TopP.EncodedName, topP);
        }

        if (options.MaxOutputTokens is { } max && !ExtraParameters.Has(extras, P.Names.MaxOutputTokens))
        {
            writer.WriteNumber(P.MaxOutputTokens.EncodedName, max);
        }

        if (options.Reasoning?.Effort is { } effort)
        {
            writer.WriteStartObject(P.Reasoning.EncodedName);
            writer.WriteString(P.Fields.Effort, effort switch
            {
                ReasoningEffort.None => P.Values.EffortNone,
                ReasoningEffort.Low => P.Values.EffortLow,
                ReasoningEffort.Medium => P.Values.EffortMedium,
                ReasoningEffort.High => P.Values.EffortHigh,
                ReasoningEffort.ExtraHigh => P.Values.EffortXHigh,
                _ => throw new ArgumentOutOfRangeException(nameof(options), $"ChatOptions.Reasoning.Effort {effort} has no Responses API value; use None, Low, Medium, High or ExtraHigh."),
            });
            writer.WriteEndObject();
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            var written = WriteTools(writer, tools, extras);
            if (options.ToolMode is { } mode && written.Count > 0 && !ExtraParameters.Has(extras, P.Names.ToolChoice))
            {
                WriteToolChoice(writer, mode, written);
            }
        }
    }

    /// <summary>Writes <c>tools</c>; returns each written tool as (type, function name or null) for <c>tool_choice</c>.</summary>
    private static List<(string Type, string? Name)> WriteTools(Utf8JsonWriter writer, IList<AITool> tools, AdditionalPropertiesDictionary? extras)
    {
        var written = new List<(string Type, string? Name)>();
        HashSet<string>? names = null;
        writer.WriteStartArray(P.Tools.EncodedName);
        for (var i = 0; i < tools.Count; i++)
        {
            switch (tools[i])
            {
                case AIFunctionDeclaration function:
                    ValidateName(function.Name, i);
                    if (!(names ??= new(StringComparer.Ordinal)).Add(function.Name))
                    {
                        throw new ArgumentException($"ChatOptions.Tools has two functions named '{function.Name}'; tool names must be unique.", "options");
                    }

                    WriteFunction(writer, function, extras);
                    written.Add(("function", function.Name));
                    break;
                case HostedWebSearchTool search:
                    WriteTyped(writer, P.Values.WebSearch, written);
                    if (Switch(search.AdditionalProperties, P.ToolSwitches.WebExtractor, i))
                    {
                        WriteTyped(writer, P.Values.WebExtractor, written);
                    }

                    if (Switch(search.AdditionalProperties, P.ToolSwitches.WebSearchImage, i))
                    {
                        WriteTyped(writer, P.Values.WebSearchImage, written);
                    }

                    if (Switch(search.AdditionalProperties, P.ToolSwitches.ImageSearch, i))
                    {
                        WriteTyped(writer, P.Values.ImageSearch, written);
                    }

                    break;
                case HostedCodeInterpreterTool code:
                    if (code.Inputs is { Count: > 0 })
                    {
                        throw new NotSupportedException($"ChatOptions.Tools[{i}] is a HostedCodeInterpreterTool with Inputs; DashScope's code_interpreter takes no files. Leave Inputs empty.");
                    }

                    WriteTyped(writer, P.Values.CodeInterpreter, written);
                    break;
                case HostedFileSearchTool fileSearch:
                    WriteFileSearch(writer, fileSearch, i);
                    written.Add((P.Values.FileSearch, null));
                    break;
                case HostedMcpServerTool mcp:
                    WriteMcp(writer, mcp, i);
                    written.Add((P.Values.Mcp, null));
                    break;
                case null:
                    throw new ArgumentException($"ChatOptions.Tools[{i}] is null.", "options");
                default:
                    throw new NotSupportedException(
                        $"ChatOptions.Tools[{i}] is a {tools[i].GetType().Name}, which DashScope's Responses API does not offer. Supported: AIFunction/AIFunctionDeclaration, " +
                        "HostedWebSearchTool (web_search; web_extractor, web_search_image and image_search through its AdditionalProperties), HostedCodeInterpreterTool, " +
                        "HostedFileSearchTool (one knowledge base) and HostedMcpServerTool.");
            }
        }

        writer.WriteEndArray();
        return written;
    }

    private static void WriteTyped(Utf8JsonWriter writer, string type, List<(string Type, string? Name)> written)
    {
        writer.WriteStartObject();
        writer.WriteString(P.Fields.Type, type);
        writer.WriteEndObject();
        written.Add((type, null));
    }

    private static bool Switch(IReadOnlyDictionary<string, object?>? properties, string key, int index)
    {
        if (properties is null || !properties.TryGetValue(key, out var value) || value is null)
        {
            return false;
        }

        return LooseValue.TryGetBoolean(value, out var on)
            ? on
            : throw new ArgumentException($"ChatOptions.Tools[{index}].AdditionalProperties[\"{key}\"] must be true or false; got {value}.", "options");
    }

    private static void WriteFunction(Utf8JsonWriter writer, AIFunctionDeclaration function, IReadOnlyDictionary<string, object?>? extras)
    {
        // Flat, as the Responses API wants it (a chat-style nested "function" object is refused).
        writer.WriteStartObject();
        writer.WriteString(P.Fields.Type, P.Values.Function);
        writer.WriteString(P.Fields.Name, function.Name);
        if (!string.IsNullOrEmpty(function.Description))
        {
            writer.WriteString(P.Fields.Description, function.Description);
        }

        writer.WritePropertyName(P.Fields.Parameters);
        if (function.JsonSchema.ValueKind == JsonValueKind.Object)
        {
            function.JsonSchema.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString(P.Fields.Type, P.Values.Object);
            writer.WriteStartObject(P.Values.Properties);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if ((ToolWriter.ReadStrict(function.AdditionalProperties) ?? ToolWriter.ReadStrict(extras)) is { } strict)
        {
            writer.WriteBoolean(P.Fields.Strict, strict);
        }

        writer.WriteEndObject();
    }

    private static void WriteFileSearch(Utf8JsonWriter writer, HostedFileSearchTool tool, int index)
    {
        string? id = null;
        var count = 0;
        foreach (var input in tool.Inputs ?? [])
        {
            if (input is HostedVectorStoreContent store)
            {
                id = store.VectorStoreId;
                count++;
            }
            else
            {
                throw new NotSupportedException($"ChatOptions.Tools[{index}] is a HostedFileSearchTool with a {input.GetType().Name} input; DashScope's file_search searches one Bailian knowledge base, given as a HostedVectorStoreContent with its id.");
            }
        }

        if (count != 1 || string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException(
                $"ChatOptions.Tools[{index}] is a HostedFileSearchTool with {count} knowledge bases; DashScope's file_search takes exactly one (\"Currently, only one knowledge base ID is supported.\"): " +
                "set Inputs = [new HostedVectorStoreContent(\"<knowledge base id>\")].",
                "options");
        }

        writer.WriteStartObject();
        writer.WriteString(P.Fields.Type, P.Values.FileSearch);
        writer.WriteStartArray(P.Fields.VectorStoreIds);
        writer.WriteStringValue(id);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMcp(Utf8JsonWriter writer, HostedMcpServerTool tool, int index)
    {
        switch (tool.ApprovalMode)
        {
            case null or HostedMcpServerToolNeverRequireApprovalMode:
                break;
            default:
                throw new NotSupportedException(
                    $"ChatOptions.Tools[{index}] is a HostedMcpServerTool with ApprovalMode {tool.ApprovalMode.GetType().Name}: DashScope runs MCP calls on the server with no approval step " +
                    "(no require_approval parameter or approval item exists), so a call cannot be held for approval. Leave ApprovalMode unset or use HostedMcpServerToolApprovalMode.NeverRequire.");
        }

        if (tool.AllowedTools is { Count: > 0 })
        {
            throw new NotSupportedException($"ChatOptions.Tools[{index}] is a HostedMcpServerTool with AllowedTools; DashScope's mcp tool has no tool filter, so every tool of the server is offered. Leave AllowedTools null.");
        }

        if (!Uri.TryCreate(tool.ServerAddress, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"ChatOptions.Tools[{index}] is a HostedMcpServerTool with ServerAddress '{tool.ServerAddress}'; DashScope needs the server's http(s) URL as server_url (connector ids are not supported).", "options");
        }

        var protocol = "sse";
        if (tool.AdditionalProperties is { } properties && properties.TryGetValue(P.ToolSwitches.ServerProtocol, out var value) && value is not null)
        {
            protocol = value as string is { Length: > 0 } p ? p : throw new ArgumentException($"ChatOptions.Tools[{index}].AdditionalProperties[\"{P.ToolSwitches.ServerProtocol}\"] must be a string such as \"sse\".", "options");
        }

        writer.WriteStartObject();
        writer.WriteString(P.Fields.Type, P.Values.Mcp);
        writer.WriteString(P.Fields.ServerProtocol, protocol);
        writer.WriteString(P.Fields.ServerLabel, tool.ServerName);
        if (!string.IsNullOrEmpty(tool.ServerDescription))
        {
            writer.WriteString(P.Fields.ServerDescription, tool.ServerDescription);
        }

        writer.WriteString(P.Fields.ServerUrl, url.AbsoluteUri);
        if (tool.Headers is { Count: > 0 } headers)
        {
            writer.WriteStartObject(P.Fields.Headers);
            foreach (var header in headers)
            {
                writer.WriteString(header.Key, header.Value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>tool_choice</c> by the docs' rules (section 1.5): <c>"required"</c> only with exactly one tool; with several, "call one of
    /// them" is <c>allowed_tools</c> with <c>mode:"required"</c> listing them all; a specific function is <c>allowed_tools</c> with that one.
    /// </summary>
    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolMode mode, List<(string Type, string? Name)> tools)
    {
        switch (mode)
        {
            case NoneChatToolMode:
                writer.WriteString(P.ToolChoice.EncodedName, P.Values.None);
                break;
            case AutoChatToolMode:
                writer.WriteString(P.ToolChoice.EncodedName, P.Values.Auto);
                break;
            case RequiredChatToolMode { RequiredFunctionName: null } when tools.Count == 1:
                writer.WriteString(P.ToolChoice.EncodedName, P.Values.Required);
                break;
            case RequiredChatToolMode { RequiredFunctionName: null }:
                WriteAllowedTools(writer, tools);
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                if (!tools.Exists(t => t.Name == name))
                {
                    throw new ArgumentException($"ChatOptions.ToolMode requires the function '{name}', which is not among ChatOptions.Tools.", "options");
                }

                WriteAllowedTools(writer, [("function", name)]);
                break;
            default:
                throw new NotSupportedException($"ChatOptions.ToolMode of type {mode.GetType().Name} is not supported.");
        }
    }

    private static void WriteAllowedTools(Utf8JsonWriter writer, List<(string Type, string? Name)> tools)
    {
        writer.WriteStartObject(P.ToolChoice.EncodedName);
        writer.WriteString(P.Fields.Type, P.Values.AllowedTools);
        writer.WriteString(P.Fields.Mode, P.Values.Required);
        writer.WriteStartArray(P.Fields.Tools);
        foreach (var (type, name) in tools)
        {
            writer.WriteStartObject();
            writer.WriteString(P.Fields.Type, type);
            if (name is not null)
            {
                writer.WriteString(P.Fields.Name, name);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, int index)
    {
        if (message is null)
        {
            throw new ArgumentException($"messages[{index}] is null; every entry of messages must be a ChatMessage.", "messages");
        }

        var role = message.Role;
        if (role == ChatRole.System || role.Value == "developer")
        {
            // System and developer messages take a string only.
            foreach (var content in message.Contents)
            {
                if (content is not TextContent)
                {
                    throw new NotSupportedException($"messages[{index}] is a {role} message with a {content.GetType().Name}; the Responses API takes text only in system and developer messages.");
                }
            }

            WriteRoleText(writer, role == ChatRole.System ? P.Values.System : P.Values.Developer, message.Text);
            return;
        }

        if (role == ChatRole.User)
        {
            WriteUser(writer, message, index);
            return;
        }

        if (role == ChatRole.Assistant)
        {
            WriteAssistant(writer, message, index);
            return;
        }

        if (role == ChatRole.Tool)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent result)
                {
                    WriteFunctionOutput(writer, result, index);
                }
                else if (content is not UsageContent)
                {
                    throw new NotSupportedException($"messages[{index}] is a tool message with a {content.GetType().Name}; tool messages carry FunctionResultContent only.");
                }
            }

            return;
        }

        throw new NotSupportedException($"messages[{index}] has the role '{role}'; the Responses API takes system, developer, user, assistant and tool messages.");
    }

    private static void WriteRoleText(Utf8JsonWriter writer, JsonEncodedText role, string text)
    {
        writer.WriteStartObject();
        writer.WriteString(P.Fields.Role, role);
        writer.WriteString(P.Fields.Content, text);
        writer.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter writer, ChatMessage message, int index)
    {
        var contents = message.Contents;
        var onlyText = true;
        var parts = 0;
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent:
                    parts++;
                    break;
                case DataContent or UriContent:
                    onlyText = false;
                    parts++;
                    break;
                case FunctionResultContent:
                    break;
                default:
                    throw new NotSupportedException($"messages[{index}] is a user message with a {content.GetType().Name}; the Responses API takes text, images (input_image) and files by URL (input_file) from users.");
            }
        }

        if (parts > 0)
        {
            writer.WriteStartObject();
            writer.WriteString(P.Fields.Role, P.Values.User);
            if (onlyText)
            {
                writer.WriteString(P.Fields.Content, message.Text);
            }
            else
            {
                writer.WriteStartArray(P.Fields.Content);
                foreach (var content in contents)
                {
                    WriteUserPart(writer, content, index);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        foreach (var content in contents)
        {
            if (content is FunctionResultContent result)
            {
                WriteFunctionOutput(writer, result, index);
            }
        }
    }

    private static void WriteUserPart(Utf8JsonWriter writer, AIContent content, int index)
    {
        switch (content)
        {
            case TextContent text:
                writer.WriteStartObject();
                writer.WriteString(P.Fields.Type, P.Values.InputText);
                writer.WriteString(P.Fields.Text, text.Text);
                writer.WriteEndObject();
                break;
            case DataContent data when data.HasTopLevelMediaType("image"):
                writer.WriteStartObject();
                writer.WriteString(P.Fields.Type, P.Values.InputImage);
                writer.WriteString(P.Fields.ImageUrl, data.Uri);
                writer.WriteEndObject();
                break;
            case UriContent uri when uri.HasTopLevelMediaType("image"):
                writer.WriteStartObject();
                writer.WriteString(P.Fields.Type, P.Values.InputImage);
                writer.WriteString(P.Fields.ImageUrl, AbsoluteWebUrl(uri.Uri, index));
                writer.WriteEndObject();
                break;
            case UriContent uri when !uri.HasTopLevelMediaType("audio") && !uri.HasTopLevelMediaType("video"):
                writer.WriteStartObject();
                writer.WriteString(P.Fields.Type, P.Values.InputFile);
                writer.WriteString(P.Fields.FileUrl, AbsoluteWebUrl(uri.Uri, index));
                writer.WriteEndObject();
                break;
            case DataContent or UriContent:
                var mediaType = content is DataContent d ? d.MediaType : ((UriContent)content).MediaType;
                throw new NotSupportedException(
                    $"messages[{index}] has a {content.GetType().Name} of media type '{mediaType}'. The Responses API takes images (as data or URL) and files by URL; " +
                    "it does not support audio or video input (\"Responses API 目前不支持视频或音频输入\"), nor file bytes: pass a file as a UriContent with its URL.");
        }
    }

    private static string AbsoluteWebUrl(Uri uri, int index) =>
        uri.IsAbsoluteUri && !uri.IsFile ? uri.AbsoluteUri
        : throw new ArgumentException($"messages[{index}] has a UriContent '{uri}' that is not an absolute http(s) URL; the service cannot read local or relative paths.", "messages");

    private static void WriteAssistant(Utf8JsonWriter writer, ChatMessage message, int index)
    {
        // Text runs become assistant messages, function calls their function_call items, in order. Reasoning and the results of
        // built-in tools ran on the server: they have no documented input form and are not echoed (continue with the response id instead).
        StringBuilder? text = null;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent t:
                    (text ??= new()).Append(t.Text);
                    break;
                case FunctionCallContent call:
                    Flush(writer, ref text);
                    writer.WriteStartObject();
                    writer.WriteString(P.Fields.Type, P.Values.FunctionCall);
                    writer.WriteString(P.Fields.CallId, call.CallId);
                    writer.WriteString(P.Fields.Name, call.Name);
                    writer.WriteString(P.Fields.Arguments, call.Arguments is null ? "{}" : JsonValueWriter.ToJsonString(call.Arguments, $"messages[{index}] FunctionCallContent '{call.CallId}' arguments"));
                    writer.WriteEndObject();
                    break;
                case FunctionResultContent result:
                    Flush(writer, ref text);
                    WriteFunctionOutput(writer, result, index);
                    break;
            }
        }

        Flush(writer, ref text);
    }

    private static void Flush(Utf8JsonWriter writer, ref StringBuilder? text)
    {
        if (text is { Length: > 0 })
        {
            WriteRoleText(writer, P.Values.Assistant, text.ToString());
        }

        text = null;
    }

    private static void WriteFunctionOutput(Utf8JsonWriter writer, FunctionResultContent result, int index)
    {
        writer.WriteStartObject();
        writer.WriteString(P.Fields.Type, P.Values.FunctionCallOutput);
        writer.WriteString(P.Fields.CallId, result.CallId);
        writer.WriteString(P.Fields.Output, result.Result switch
        {
            null when result.Exception is not null => $"Error: {result.Exception.Message}",
            null => string.Empty,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
            TextContent t => t.Text ?? string.Empty,
            _ => JsonValueWriter.ToJsonString(result.Result, $"messages[{index}] FunctionResultContent '{result.CallId}' result"),
        });
        writer.WriteEndObject();
    }

    private static void ValidateName(string? name, int index)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxToolNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException($"ChatOptions.Tools[{index}] has the name '{name}'; a function name must be 1 to {MaxToolNameLength} characters of letters, digits, '_' and '-'.", "options");
        }
    }
}
