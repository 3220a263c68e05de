namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>The service's parameter checks, with its status codes, error codes and messages.</summary>
internal static partial class RequestValidator
{
    public const int MaxDataUriBytes = 10_485_760;

    public const string StreamOnlyMessage = "This model only support stream mode, please enable the stream parameter to access the model. ";

    public const string ThinkingNeedsStreamMessage = "parameter.enable_thinking must be set to false for non-streaming calls";

    public const string ThinkingOnlyStreamMessage = "parameter.enable_thinking only support stream call";

    public const string AudioNeedsStreamMessage = "'audio' output only support with stream=true";

    public const string NoHttpCallMessage = "current user api does not support http call";

    public const string ToolChoiceThinkingMessage = "The tool_choice parameter does not support being set to required or object in thinking mode";

    public const string JsonWordMessage = "<400> InternalError.Algo.InvalidParameter: 'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.";

    public const string ThinkingBudgetMessage = "<400> InternalError.Algo.InvalidParameter: The thinking_budget parameter must be a positive integer and not greater than 0";

    public const string ReasoningEffortMessage = "'reasoning_effort' must be one of: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'";

    public const string EffortAndBudgetMessage = "'reasoning_effort' and 'thinking_budget' cannot be set simultaneously";

    /// <summary>JSON mode while thinking on a model older than 3.7 (dashscope-more.md 6.2, peers.md B.7).</summary>
    public const string JsonModeThinkingMessage = "Json mode response is not supported when enable_thinking is true";

    private const string Prefix = "<400> InternalError.Algo.InvalidParameter: ";

    /// <summary>The emulator's wording (the docs quote no message) for an <c>input_audio</c> part sent to a model that takes no audio.</summary>
    public const string AudioNotSupportedFormat = Prefix + "The model {0} does not support audio input (input_audio): audio is taken by Qwen-Omni (qwen-omni-*, qwen3-omni-*, qwen3.5-omni-*) and qwen3-asr-flash";

    /// <summary>Returns the status and error for an invalid request, or <see langword="null"/> when it is valid.</summary>
    public static (int Status, EmulatorError Error)? Validate(JsonElement? body, IEnumerable<string> additionalModels)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root)
        {
            return Bad("The request body is not valid JSON.");
        }

        if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(modelElement.GetString()))
        {
            return Bad("Model not specified.", "model");
        }

        var model = modelElement.GetString()!;
        if (!ModelCatalog.Exists(model, additionalModels))
        {
            return (404, new EmulatorError("model_not_found", $"The model `{model}` does not exist or you do not have access to it."));
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return Bad(Prefix + "Input should be a valid list: messages", "messages");
        }

        if (messages.GetArrayLength() == 0)
        {
            return Bad(Prefix + "messages must not be empty", "messages");
        }

        foreach (var message in messages.EnumerateArray())
        {
            if (CheckMessage(message) is { } error)
            {
                return error;
            }
        }

        if (CheckNumber(root, "temperature", t => t is >= 0 and < 2, "Temperature should be in [0.0, 2.0)") is { } e1)
        {
            return e1;
        }

        if (CheckNumber(root, "top_p", p => p is > 0 and <= 1, "Range of top_p should be (0.0, 1.0]") is { } e2)
        {
            return e2;
        }

        if (CheckNumber(root, "presence_penalty", p => p is >= -2 and <= 2, "presence_penalty should be in [-2.0, 2.0]") is { } e3)
        {
            return e3;
        }

        if (CheckNumber(root, "max_tokens", m => m >= 1 && m == Math.Floor(m), "max_tokens must be a positive integer") is { } e4)
        {
            return e4;
        }

        if (CheckNumber(root, "seed", s => s is >= 0 and <= int.MaxValue && s == Math.Floor(s), "seed should be in [0, 2147483647]") is { } e5)
        {
            return e5;
        }

        if (CheckNumber(root, "top_k", k => k >= 0 && k == Math.Floor(k), "top_k must be a non-negative integer") is { } e6)
        {
            return e6;
        }

        if (CheckNumber(root, "n", n => n is >= 1 and <= 4 && n == Math.Floor(n), "n should be in [1, 4]") is { } e7)
        {
            return e7;
        }

        if (root.TryGetProperty("thinking_budget", out var budget) && budget.ValueKind != JsonValueKind.Null
            && !(budget.ValueKind == JsonValueKind.Number && budget.GetDouble() >= 1 && budget.GetDouble() == Math.Floor(budget.GetDouble())))
        {
            return Bad(ThinkingBudgetMessage, null);
        }

        if (CheckNumber(root, "frequency_penalty", p => p is >= -2 and <= 2, "frequency_penalty should be in [-2.0, 2.0]") is { } e9)
        {
            return e9;
        }

        if (CheckNumber(root, "top_logprobs", t => t is >= 0 and <= 5 && t == Math.Floor(t), "top_logprobs should be an integer in [0, 5]") is { } e10)
        {
            return e10;
        }

        foreach (var flag in (string[])["stream", "logprobs", "enable_thinking", "parallel_tool_calls", "enable_search", "enable_code_interpreter", "vl_high_resolution_images", "preserve_thinking"])
        {
            if (root.TryGetProperty(flag, out var value) && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                return Bad(Prefix + $"{flag} should be a boolean", flag);
            }
        }

        if (root.TryGetProperty("reasoning_effort", out var effort) && effort.ValueKind != JsonValueKind.Null)
        {
            if (effort.ValueKind != JsonValueKind.String || effort.GetString() is not ("none" or "minimal" or "low" or "medium" or "high" or "xhigh" or "max"))
            {
                return Bad(ReasoningEffortMessage, null);
            }

            if (budget.ValueKind == JsonValueKind.Number)
            {
                return Bad(EffortAndBudgetMessage, null);
            }
        }

        if (root.TryGetProperty("modalities", out var modalities) && modalities.ValueKind != JsonValueKind.Null
            && (modalities.ValueKind != JsonValueKind.Array || modalities.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String || m.GetString() is not ("text" or "audio"))
                || !modalities.EnumerateArray().Any(m => m.GetString() == "text")))
        {
            return Bad(Prefix + "modalities should be [\"text\"] or [\"text\",\"audio\"]", "modalities");
        }

        if (CheckSystemMessages(model, messages) is { } systemError)
        {
            return systemError;
        }

        if (CheckAudio(root, model, messages) is { } audioError)
        {
            return audioError;
        }

        var n = root.TryGetProperty("n", out var nElement) && nElement.ValueKind == JsonValueKind.Number ? nElement.GetDouble() : 1;
        if (n > 1 && root.TryGetProperty("tools", out var nTools) && nTools.ValueKind == JsonValueKind.Array && nTools.GetArrayLength() > 0)
        {
            return Bad(Prefix + "n must be 1 when tools are given", "n");
        }

        if (n > 1 && Thinks(root, model))
        {
            return Bad(Prefix + "n greater than 1 is not supported in thinking mode", "n");
        }

        if (root.TryGetProperty("response_format", out var jsonMode) && RequestFacts.Str(jsonMode, "type") is "json_object" or "json_schema"
            && !ModelCatalog.TakesJsonModeWhileThinking(model) && Thinks(root, model))
        {
            return Bad(JsonModeThinkingMessage, null);
        }

        if (root.TryGetProperty("response_format", out var format) && RequestFacts.Str(format, "type") == "json_object" && !MentionsJson(messages))
        {
            return Bad(JsonWordMessage, null);
        }

        if (root.TryGetProperty("stop", out var stop) && stop.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
            && (stop.ValueKind != JsonValueKind.Array || stop.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String)))
        {
            return Bad(Prefix + "stop should be a string or a list of strings", "stop");
        }

        if (CheckTools(root) is { } toolError)
        {
            return toolError;
        }

        if (root.TryGetProperty("response_format", out var rf) && CheckResponseFormat(rf) is { } rfError)
        {
            return rfError;
        }

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        bool? thinking = root.TryGetProperty("enable_thinking", out var et) && et.ValueKind is JsonValueKind.True or JsonValueKind.False ? et.ValueKind == JsonValueKind.True : null;
        if (stream)
        {
            return null;
        }

        if (ModelCatalog.IsOmni(model))
        {
            var audio = root.TryGetProperty("modalities", out var m) && m.ValueKind == JsonValueKind.Array && m.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.String && x.GetString() == "audio");
            return Bad(audio ? AudioNeedsStreamMessage : StreamOnlyMessage, null);
        }

        if (ModelCatalog.IsOpenSourceThinkingOnly(model))
        {
            return Bad(NoHttpCallMessage, null);
        }

        if (ModelCatalog.IsStreamOnly(model))
        {
            return Bad(StreamOnlyMessage, null);
        }

        if (ModelCatalog.IsOpenSourceHybrid(model) && thinking != false)
        {
            return Bad(ModelCatalog.IsQwen35OpenSource(model) ? ThinkingOnlyStreamMessage : ThinkingNeedsStreamMessage, null);
        }

        return null;
    }

    /// <summary>
    /// Whether the request runs in thinking mode: enable_thinking true, a model that always thinks, or a hybrid that thinks by default.
    /// On the 3.7 / 3.8 generation <c>thinking: {"type": "disabled"}</c> turns it off too, and on models that honour tiers
    /// <c>reasoning_effort</c> decides unless <c>enable_thinking</c> is false (<c>none</c> is off; dashscope-more.md 4.1, 4.2).
    /// </summary>
    internal static bool Thinks(JsonElement root, string model)
    {
        bool? enabled = root.TryGetProperty("enable_thinking", out var et) && et.ValueKind is JsonValueKind.True or JsonValueKind.False ? et.ValueKind == JsonValueKind.True : null;
        if (enabled is null && ModelCatalog.IsNewGeneration(model) && root.TryGetProperty("thinking", out var thinking) && RequestFacts.Str(thinking, "type") == "disabled")
        {
            enabled = false;
        }

        if (enabled != false && ModelCatalog.HonoursReasoningEffort(model) && RequestFacts.Str(root, "reasoning_effort") is { } effort)
        {
            return effort != "none";
        }

        return enabled ?? (ModelCatalog.AlwaysThinks(model) || ModelCatalog.IsOpenSourceHybrid(model) || ModelCatalog.ThinksByDefault(model));
    }

    /// <summary>The service's json_object rule: "json" (any case) in the text of a system or user message.</summary>
    private static bool MentionsJson(JsonElement messages) =>
        messages.EnumerateArray().Any(m => RequestFacts.Str(m, "role") is "system" or "user" && RequestFacts.TextOf(m).Contains("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Only <c>fileid://</c> system messages may follow the leading system message, and only for the models that read files
    /// (qwen-long, qwen-doc-turbo). Other later system messages are accepted (see the README) — except a <c>fileid://</c>
    /// reference elsewhere, which these models would misread.
    /// </summary>
    private static (int, EmulatorError)? CheckSystemMessages(string model, JsonElement messages)
    {
        var index = 0;
        var readsFiles = ModelCatalog.ReadsFiles(model);
        foreach (var message in messages.EnumerateArray())
        {
            if (RequestFacts.Str(message, "role") == "system" && RequestFacts.TextOf(message).TrimStart().StartsWith("fileid://", StringComparison.Ordinal))
            {
                if (!readsFiles)
                {
                    return Bad(Prefix + $"fileid:// references (messages[{index}]) are supported only by qwen-long and qwen-doc-turbo", "messages");
                }

                if (index == 0)
                {
                    return Bad(Prefix + "a fileid:// system message must follow the leading system message", "messages");
                }
            }

            index++;
        }

        return null;
    }

    /// <summary>
    /// <c>input_audio</c> only for the models that take audio; <c>asr_options</c> an object (the qwen3-asr page shows
    /// <c>{"language": "zh", "enable_itn": false}</c>). The part's own shape is checked with the other parts.
    /// </summary>
    private static (int, EmulatorError)? CheckAudio(JsonElement root, string model, JsonElement messages)
    {
        if (!ModelCatalog.TakesAudio(model))
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
                    && content.EnumerateArray().Any(p => RequestFacts.Str(p, "type") == "input_audio"))
                {
                    return Bad(string.Format(System.Globalization.CultureInfo.InvariantCulture, AudioNotSupportedFormat, model), "messages");
                }
            }
        }

        if (root.TryGetProperty("asr_options", out var asr) && asr.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return Bad(Prefix + "asr_options should be an object", "asr_options");
        }

        return null;
    }

    private static (int, EmulatorError)? CheckMessage(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return Bad(Prefix + "each message must be an object", "messages");
        }

        var role = RequestFacts.Str(message, "role");
        if (role is not ("system" or "user" or "assistant" or "tool"))
        {
            return Bad(Prefix + $"Invalid role: {role ?? "(missing)"}. The role must be one of system, user, assistant, tool", "messages");
        }

        message.TryGetProperty("content", out var content);
        if (role == "assistant" && message.TryGetProperty("tool_calls", out var calls))
        {
            if (calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() == 0)
            {
                return Bad(Prefix + "Empty tool_calls is not supported in message", "messages");
            }

            foreach (var call in calls.ValueKind == JsonValueKind.Array ? calls.EnumerateArray() : default)
            {
                if (RequestFacts.Str(call, "id") is null || !call.TryGetProperty("function", out var f) || RequestFacts.Str(f, "name") is null || RequestFacts.Str(f, "arguments") is null)
                {
                    return Bad(Prefix + "each tool call needs an id, function.name and function.arguments (a string)", "messages");
                }
            }
        }
        else if (role == "tool")
        {
            if (RequestFacts.Str(message, "tool_call_id") is null)
            {
                return Bad(Prefix + "tool message must have a tool_call_id", "messages");
            }
        }
        else if (role == "user" && content.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return Bad(Prefix + "Input should be a valid string or list: content", "messages");
        }

        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (CheckPart(part) is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    private static (int, EmulatorError)? CheckPart(JsonElement part)
    {
        var type = RequestFacts.Str(part, "type");
        switch (type)
        {
            case "text":
                return RequestFacts.Str(part, "text") is null ? Bad(Prefix + "a text part needs a string text", "messages") : null;
            case "image_url":
                var url = part.TryGetProperty("image_url", out var iu) ? (iu.ValueKind == JsonValueKind.String ? iu.GetString() : RequestFacts.Str(iu, "url")) : null;
                if (string.IsNullOrEmpty(url))
                {
                    return Bad(Prefix + "image_url.url is required", "messages");
                }

                if (url.StartsWith("data:", StringComparison.Ordinal))
                {
                    if (url.Length > MaxDataUriBytes)
                    {
                        return Bad($"Exceeded limit on max bytes per data-uri item : {MaxDataUriBytes}", "messages");
                    }

                    var comma = url.IndexOf(',', StringComparison.Ordinal);
                    if (comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.Ordinal) || !IsBase64(url.AsSpan(comma + 1)))
                    {
                        return Bad(Prefix + "The image data URI is not a valid base64 data URI", "messages");
                    }
                }
                else if (!Uri.TryCreate(url, UriKind.Absolute, out _))
                {
                    return Bad(Prefix + $"The image url is invalid: {url}", "messages");
                }

                return null;
            case "input_audio":
                return CheckInputAudio(part);
            case "video_url" or "video":
                return null;
            default:
                return Bad(Prefix + $"Unsupported content type: {type ?? "(missing)"}", "messages");
        }
    }

    /// <summary>
    /// <c>{"type":"input_audio","input_audio":{"data": URL or data URI, "format"?: string}}</c> (dashscope-more.md 5.2): the data URI
    /// may name its media type or leave it empty (<c>data:;base64,</c>, the official samples); at most 10 MB per data URI.
    /// </summary>
    private static (int, EmulatorError)? CheckInputAudio(JsonElement part)
    {
        var data = part.TryGetProperty("input_audio", out var audio) ? RequestFacts.Str(audio, "data") : null;
        if (string.IsNullOrEmpty(data))
        {
            return Bad(Prefix + "input_audio.data is required", "messages");
        }

        if (audio.TryGetProperty("format", out var format) && format.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return Bad(Prefix + "input_audio.format should be a string", "messages");
        }

        if (data.StartsWith("data:", StringComparison.Ordinal))
        {
            if (data.Length > MaxDataUriBytes)
            {
                return Bad($"Exceeded limit on max bytes per data-uri item : {MaxDataUriBytes}", "messages");
            }

            var comma = data.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !data.AsSpan(0, comma).EndsWith(";base64", StringComparison.Ordinal) || !IsBase64(data.AsSpan(comma + 1)))
            {
                return Bad(Prefix + "The audio data URI is not a valid base64 data URI", "messages");
            }
        }
        else if (!Uri.TryCreate(data, UriKind.Absolute, out _))
        {
            return Bad(Prefix + $"The audio url is invalid: {data}", "messages");
        }

        return null;
    }

    private static (int, EmulatorError)? CheckTools(JsonElement root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("tools", out var tools))
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                return Bad(Prefix + "tools should be a list", "tools");
            }

            foreach (var tool in tools.EnumerateArray())
            {
                if (RequestFacts.Str(tool, "type") != "function" || !tool.TryGetProperty("function", out var f) || f.ValueKind != JsonValueKind.Object)
                {
                    return Bad(Prefix + "each tool must be {\"type\":\"function\",\"function\":{...}}", "tools");
                }

                var name = RequestFacts.Str(f, "name");
                if (name is null || !ToolName().IsMatch(name))
                {
                    return Bad(Prefix + $"Invalid tool name '{name}': it must match ^[a-zA-Z0-9_-]{{1,64}}$", "tools");
                }

                if (!names.Add(name))
                {
                    return Bad(Prefix + $"Duplicate tool name: {name}", "tools");
                }

                if (f.TryGetProperty("parameters", out var ps) && ps.ValueKind != JsonValueKind.Object)
                {
                    return Bad(Prefix + $"The parameters of tool '{name}' must be a JSON schema object", "tools");
                }
            }
        }

        if (root.TryGetProperty("tool_choice", out var tc))
        {
            if (tc.ValueKind == JsonValueKind.String)
            {
                if (tc.GetString() is not ("auto" or "none" or "required"))
                {
                    return Bad(Prefix + "tool_choice should be auto, none, required or a function object", "tool_choice");
                }
            }
            else if (tc.ValueKind == JsonValueKind.Object)
            {
                var name = tc.TryGetProperty("function", out var f) ? RequestFacts.Str(f, "name") : null;
                if (name is null || !names.Contains(name))
                {
                    return Bad(Prefix + $"tool_choice names the function '{name}' which is not in tools", "tool_choice");
                }
            }
            else
            {
                return Bad(Prefix + "tool_choice should be a string or an object", "tool_choice");
            }

            if (tc.ValueKind == JsonValueKind.String && tc.GetString() == "required" && names.Count == 0)
            {
                return Bad(Prefix + "tool_choice 'required' needs at least one tool in tools", "tool_choice");
            }

            var toolModel = RequestFacts.Str(root, "model") ?? string.Empty;
            if ((tc.ValueKind != JsonValueKind.String || tc.GetString() == "required") && Thinks(root, toolModel) && ModelCatalog.RefusesForcedToolChoiceWhileThinking(toolModel))
            {
                return Bad(ToolChoiceThinkingMessage, "tool_choice");
            }
        }

        return null;
    }

    private static (int, EmulatorError)? CheckResponseFormat(JsonElement rf)
    {
        var type = RequestFacts.Str(rf, "type");
        if (type is "text" or "json_object")
        {
            return null;
        }

        if (type != "json_schema")
        {
            return Bad(Prefix + $"response_format.type should be text, json_object or json_schema, got {type ?? "(missing)"}", "response_format");
        }

        if (!rf.TryGetProperty("json_schema", out var js) || js.ValueKind != JsonValueKind.Object || RequestFacts.Str(js, "name") is null
            || (js.TryGetProperty("schema", out var schema) && schema.ValueKind != JsonValueKind.Object))
        {
            return Bad(Prefix + "response_format.json_schema needs a name and an object schema", "response_format");
        }

        return null;
    }

    private static (int, EmulatorError)? CheckNumber(JsonElement root, string name, Func<double, bool> valid, string message)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && valid(value.GetDouble()) ? null : Bad(Prefix + message, name);
    }

    private static bool IsBase64(ReadOnlySpan<char> data) => data.Length > 0 && System.Buffers.Text.Base64.IsValid(data);

    private static (int, EmulatorError) Bad(string message, string? param = null) => (400, new EmulatorError("invalid_parameter_error", message, "invalid_request_error", param));

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolName();
}
