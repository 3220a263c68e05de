namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Responses API output → MEAI, shared by the JSON and the streaming path (dashscope-more.md sections 1.6-1.8): one output item →
/// its contents (never dropped: an unknown item becomes an <see cref="AIContent"/> with the item as its
/// <see cref="AIContent.RawRepresentation"/>), <c>usage</c> → <see cref="UsageDetails"/>, <c>status</c> → finish reason or error.
/// Built-in tool items map as MEAI's own OpenAI Responses client maps them: a call content without raw representation and a
/// result content that carries the item, so a round trip would send the item once.
/// </summary>
internal static class ResponsesOutputMapper
{
    /// <summary>The <c>AdditionalProperties</c> key on a built-in tool's call and result contents that names the item type (<c>web_search_call</c>, ...).</summary>
    public const string ItemTypeKey = "type";

    /// <summary>The <c>AdditionalProperties</c> key of a file-search citation's relevance score.</summary>
    public const string ScoreKey = "score";

    /// <summary>Maps one output item (<paramref name="item"/> is a clone that may be kept) into <paramref name="contents"/>; citations of search items go to <paramref name="citations"/>.</summary>
    public static void AddItem(JsonElement item, IList<AIContent> contents, List<CitationAnnotation> citations, bool includeReasoning)
    {
        var type = GetString(item, ResponsesFields.Type);
        var id = GetString(item, ResponsesFields.Id) ?? string.Empty;
        switch (type)
        {
            case ResponsesFields.ItemTypes.Message:
                AddMessageParts(item, contents, citations);
                break;
            case ResponsesFields.ItemTypes.Reasoning:
                if (includeReasoning && ReasoningText(item) is { } reasoning)
                {
                    contents.Add(new TextReasoningContent(reasoning) { ProtectedData = GetString(item, ResponsesFields.EncryptedContent), RawRepresentation = item });
                }

                break;
            case ResponsesFields.ItemTypes.FunctionCall:
                var call = FunctionCallFactory.Create(GetString(item, ResponsesFields.CallId) ?? id, GetString(item, ResponsesFields.Name), GetString(item, ResponsesFields.Arguments));
                call.RawRepresentation = item;
                contents.Add(call);
                break;
            case ResponsesFields.ItemTypes.WebSearchCall:
                AddWebSearch(item, id, contents, citations);
                break;
            case ResponsesFields.ItemTypes.WebExtractorCall:
                AddWebExtractor(item, id, contents, citations);
                break;
            case ResponsesFields.ItemTypes.WebSearchImageCall or ResponsesFields.ItemTypes.ImageSearchCall:
                AddImageSearch(item, id, type, contents);
                break;
            case ResponsesFields.ItemTypes.CodeInterpreterCall:
                AddCodeInterpreter(item, id, contents);
                break;
            case ResponsesFields.ItemTypes.McpCall:
                AddMcp(item, id, contents);
                break;
            case ResponsesFields.ItemTypes.FileSearchCall:
                AddFileSearch(item, id, contents, citations);
                break;
            default:
                // Never dropped: what the client does not know yet travels as the raw item.
                contents.Add(new AIContent { RawRepresentation = item });
                break;
        }
    }

    /// <summary>The text of a message item's <c>output_text</c> parts as contents, each with its own annotations and, on the first, <paramref name="citations"/> (then cleared).</summary>
    public static void AddMessageParts(JsonElement item, IList<AIContent> contents, List<CitationAnnotation> citations)
    {
        if (!item.TryGetProperty(ResponsesFields.Content, out var parts))
        {
            return;
        }

        if (parts.ValueKind == JsonValueKind.String)
        {
            var text = new TextContent(parts.GetString()) { RawRepresentation = item };
            AttachCitations(text, citations);
            contents.Add(text);
            return;
        }

        if (parts.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var part in parts.EnumerateArray())
        {
            var partType = GetString(part, ResponsesFields.Type);
            if (partType is ResponsesFields.ItemTypes.OutputText or ResponsesFields.Text || (partType is null && part.TryGetProperty(ResponsesFields.Text, out _)))
            {
                var text = new TextContent(GetString(part, ResponsesFields.Text)) { RawRepresentation = part };
                AddAnnotations(part, text);
                AttachCitations(text, citations);
                contents.Add(text);
            }
            else
            {
                contents.Add(new AIContent { RawRepresentation = part });
            }
        }
    }

    /// <summary>Moves <paramref name="citations"/> onto <paramref name="content"/>'s annotations.</summary>
    public static void AttachCitations(AIContent content, List<CitationAnnotation> citations)
    {
        if (citations.Count == 0)
        {
            return;
        }

        content.Annotations ??= [];
        foreach (var citation in citations)
        {
            content.Annotations.Add(citation);
        }

        citations.Clear();
    }

    /// <summary>A part's own <c>annotations</c> (<c>url_citation</c>, <c>file_citation</c>; "usually an empty array" on DashScope) as <see cref="CitationAnnotation"/>s.</summary>
    public static void AddAnnotations(JsonElement part, AIContent destination)
    {
        if (!part.TryGetProperty(ResponsesFields.Annotations, out var annotations) || annotations.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var annotation in annotations.EnumerateArray())
        {
            var citation = new CitationAnnotation { RawRepresentation = annotation, Title = GetString(annotation, ResponsesFields.Title), FileId = GetString(annotation, ResponsesFields.FileId) };
            if (GetString(annotation, ResponsesFields.Url) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                citation.Url = uri;
            }

            if (GetInt(annotation, "start_index") is { } start && GetInt(annotation, "end_index") is { } end)
            {
                citation.AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start, EndIndex = end }];
            }

            (destination.Annotations ??= []).Add(citation);
        }
    }

    /// <summary>A reasoning item's text: its <c>summary[].text</c>, else its <c>content[].text</c> (<c>reasoning_text</c>), joined; null when empty.</summary>
    public static string? ReasoningText(JsonElement item)
    {
        var text = JoinTexts(item, ResponsesFields.Summary);
        return string.IsNullOrEmpty(text) ? NullIfEmpty(JoinTexts(item, ResponsesFields.Content)) : text;
    }

    /// <summary><c>usage</c> (and <c>x_tools</c> beside it) → <see cref="UsageDetails"/>; null when the object has no usage.</summary>
    public static UsageDetails? ToUsage(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty(ResponsesFields.Usage, out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = GetLong(usage, ResponsesFields.InputTokens),
            OutputTokenCount = GetLong(usage, ResponsesFields.OutputTokens),
            TotalTokenCount = GetLong(usage, ResponsesFields.TotalTokens),
        };
        if (usage.TryGetProperty(ResponsesFields.InputTokensDetails, out var input) && input.ValueKind == JsonValueKind.Object)
        {
            details.CachedInputTokenCount = GetLong(input, ResponsesFields.CachedTokens);
        }

        if (usage.TryGetProperty(ResponsesFields.OutputTokensDetails, out var output) && output.ValueKind == JsonValueKind.Object)
        {
            details.ReasoningTokenCount = GetLong(output, ResponsesFields.ReasoningTokens);
        }

        AdditionalPropertiesDictionary<long>? counts = null;
        long? cacheCreation = null;
        JsonElement plugins = default;
        if (usage.TryGetProperty(ResponsesFields.XDetails, out var xDetails) && xDetails.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in xDetails.EnumerateArray())
            {
                if (detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty(ResponsesFields.PromptTokensDetails, out var prompt) && prompt.ValueKind == JsonValueKind.Object
                    && GetLong(prompt, ResponsesFields.CacheCreationInputTokens) is { } created)
                {
                    cacheCreation = (cacheCreation ?? 0) + created;
                }

                if (detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("plugins", out var p) && p.ValueKind == JsonValueKind.Object)
                {
                    plugins = p;
                }
            }
        }

        if (cacheCreation is { } creation)
        {
            (counts ??= [])[ResponsesFields.UsageKeys.CacheCreationInputTokens] = creation;
        }

        // x_tools sits in usage per the docs; one probe listed it at the top level; x_details[].plugins carries the same counts.
        var tools = usage.TryGetProperty(ResponsesFields.XTools, out var inUsage) ? inUsage
            : response.TryGetProperty(ResponsesFields.XTools, out var topLevel) ? topLevel
            : plugins;
        if (tools.ValueKind == JsonValueKind.Object)
        {
            foreach (var tool in tools.EnumerateObject())
            {
                var count = tool.Value.ValueKind == JsonValueKind.Object ? GetLong(tool.Value, ResponsesFields.Count) : tool.Value.ValueKind == JsonValueKind.Number && tool.Value.TryGetInt64(out var n) ? n : null;
                if (count is { } c)
                {
                    (counts ??= [])[ResponsesFields.UsageKeys.ToolCountPrefix + tool.Name] = c;
                }
            }
        }

        details.AdditionalCounts = counts;
        return details;
    }

    /// <summary><c>created_at</c> in seconds, an integer (captures) or a float (doc samples).</summary>
    public static DateTimeOffset? CreatedAt(JsonElement response) =>
        response.ValueKind == JsonValueKind.Object && response.TryGetProperty(ResponsesFields.CreatedAt, out var created) && created.ValueKind == JsonValueKind.Number && created.TryGetDouble(out var seconds)
            && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    /// <summary>The finish reason of a finished response: <c>incomplete</c> → Length (or ContentFilter when it says so), tool calls → ToolCalls, else Stop.</summary>
    public static ChatFinishReason FinishReason(string? status, JsonElement response, bool anyFunctionCalls)
    {
        if (status == ResponsesFields.Statuses.Incomplete)
        {
            return response.ValueKind == JsonValueKind.Object && response.TryGetProperty(ResponsesFields.IncompleteDetails, out var details) && details.ValueKind == JsonValueKind.Object
                && GetString(details, ResponsesFields.Reason) == "content_filter"
                ? ChatFinishReason.ContentFilter
                : ChatFinishReason.Length;
        }

        return anyFunctionCalls ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop;
    }

    /// <summary>A <c>status:"failed"</c> (or <c>cancelled</c>) response, or one with an <c>error</c> object: the error to throw, else null.</summary>
    public static QwenApiException? Failure(JsonElement response, HttpStatusCode? status, string? requestId, string? apiKey)
    {
        if (response.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var state = GetString(response, ResponsesFields.Status);
        var hasError = response.TryGetProperty(ResponsesFields.Error, out var error) && error.ValueKind == JsonValueKind.Object;
        if (!hasError && state is not (ResponsesFields.Statuses.Failed or ResponsesFields.Statuses.Cancelled))
        {
            return null;
        }

        return QwenErrors.ResponseFailed(
            hasError ? GetString(error, ResponsesFields.Code) : null,
            hasError ? GetString(error, ResponsesFields.Message) : null,
            state,
            status,
            requestId ?? GetString(response, ResponsesFields.RequestId) ?? GetString(response, ResponsesFields.Id),
            apiKey);
    }

    public static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? GetLong(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out var l) ? l : throw new JsonException($"'{name}' is {value.GetRawText()}, not a whole number.")
            : null;

    private static int? GetInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string? JoinTexts(JsonElement item, string arrayName)
    {
        if (!item.TryGetProperty(arrayName, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? single = null;
        StringBuilder? joined = null;
        foreach (var entry in array.EnumerateArray())
        {
            if (GetString(entry, ResponsesFields.Text) is not { } text)
            {
                continue;
            }

            if (single is null && joined is null)
            {
                single = text;
            }
            else
            {
                joined ??= new StringBuilder(single);
                joined.Append('\n').Append(text);
            }
        }

        return joined?.ToString() ?? single;
    }

    private static List<string>? Strings(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var entry in array.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String && entry.GetString() is { Length: > 0 } s)
            {
                list.Add(s);
            }
        }

        return list;
    }

    private static AdditionalPropertiesDictionary TypeProperty(string type) => new() { [ItemTypeKey] = type };

    private static void AddWebSearch(JsonElement item, string id, IList<AIContent> contents, List<CitationAnnotation> citations)
    {
        List<string>? queries = null;
        var result = new WebSearchToolResultContent(id) { RawRepresentation = item, Outputs = [] };
        if (item.TryGetProperty(ResponsesFields.Action, out var action) && action.ValueKind == JsonValueKind.Object)
        {
            // Probes saw action.queries instead of, or besides, action.query.
            queries = Strings(action, ResponsesFields.Queries) ?? [];
            if (GetString(action, ResponsesFields.Query) is { Length: > 0 } query && !queries.Contains(query))
            {
                queries.Insert(0, query);
            }

            if (action.TryGetProperty(ResponsesFields.Sources, out var sources) && sources.ValueKind == JsonValueKind.Array)
            {
                HashSet<string>? seen = null;
                foreach (var source in sources.EnumerateArray())
                {
                    // Sources may repeat; each URL once. A source that is not an absolute URL stays in the raw item.
                    if (GetString(source, ResponsesFields.Url) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (seen ??= new(StringComparer.Ordinal)).Add(url))
                    {
                        result.Outputs.Add(new UriContent(uri, "text/html") { RawRepresentation = source });
                        citations.Add(new CitationAnnotation { Url = uri, ToolName = ResponsesParameters.Values.WebSearch, RawRepresentation = source });
                    }
                }
            }
        }

        contents.Add(new WebSearchToolCallContent(id) { Queries = queries, AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.WebSearchCall) });
        result.AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.WebSearchCall);
        contents.Add(result);
    }

    private static void AddWebExtractor(JsonElement item, string id, IList<AIContent> contents, List<CitationAnnotation> citations)
    {
        // The closest MEAI content: a web tool call whose "queries" are the pages to read, with the goal beside them; the result
        // is the pages and the extracted text.
        var urls = Strings(item, ResponsesFields.Urls) ?? [];
        var call = new WebSearchToolCallContent(id) { Queries = urls, AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.WebExtractorCall) };
        if (GetString(item, ResponsesFields.Goal) is { } goal)
        {
            call.AdditionalProperties[ResponsesFields.Goal] = goal;
        }

        var result = new WebSearchToolResultContent(id) { RawRepresentation = item, Outputs = [], AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.WebExtractorCall) };
        foreach (var url in urls)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                result.Outputs.Add(new UriContent(uri, "text/html"));
                citations.Add(new CitationAnnotation { Url = uri, ToolName = ResponsesParameters.Values.WebExtractor });
            }
        }

        if (GetString(item, ResponsesFields.Output) is { } output)
        {
            result.Outputs.Add(new TextContent(output));
        }

        contents.Add(call);
        contents.Add(result);
    }

    private static void AddImageSearch(JsonElement item, string id, string type, IList<AIContent> contents)
    {
        List<string>? queries = null;
        if (GetString(item, ResponsesFields.Arguments) is { Length: > 0 } arguments)
        {
            try
            {
                using var parsed = JsonDocument.Parse(arguments);
                queries = Strings(parsed.RootElement, ResponsesFields.Queries);
            }
            catch (JsonException)
            {
                // Arguments that are not JSON stay in the raw item.
            }
        }

        var result = new WebSearchToolResultContent(id) { RawRepresentation = item, Outputs = [], AdditionalProperties = TypeProperty(type) };
        if (GetString(item, ResponsesFields.Output) is { Length: > 0 } output)
        {
            var mapped = false;
            try
            {
                // output is a JSON string: [{"title","url","index"}, ...] ("[]" when nothing is found).
                using var parsed = JsonDocument.Parse(output);
                if (parsed.RootElement.ValueKind == JsonValueKind.Array)
                {
                    mapped = true;
                    foreach (var image in parsed.RootElement.EnumerateArray())
                    {
                        if (GetString(image, ResponsesFields.Url) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
                        {
                            var content = new UriContent(uri, "image/*") { RawRepresentation = image.Clone() };
                            if (GetString(image, ResponsesFields.Title) is { } title)
                            {
                                content.AdditionalProperties = new() { [ResponsesFields.Title] = title };
                            }

                            result.Outputs.Add(content);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: kept as text below.
            }

            if (!mapped)
            {
                result.Outputs.Add(new TextContent(output));
            }
        }

        contents.Add(new WebSearchToolCallContent(id) { Queries = queries, AdditionalProperties = TypeProperty(type) });
        contents.Add(result);
    }

    private static void AddCodeInterpreter(JsonElement item, string id, IList<AIContent> contents)
    {
        var call = new CodeInterpreterToolCallContent(id) { AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.CodeInterpreterCall) };
        if (GetString(item, ResponsesFields.Code) is { Length: > 0 } code)
        {
            call.Inputs = [new DataContent(Encoding.UTF8.GetBytes(code), "text/x-python")];
        }

        var result = new CodeInterpreterToolResultContent(id) { RawRepresentation = item, AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.CodeInterpreterCall) };
        if (item.TryGetProperty(ResponsesFields.Outputs, out var outputs) && outputs.ValueKind == JsonValueKind.Array)
        {
            result.Outputs = [];
            foreach (var output in outputs.EnumerateArray())
            {
                var outputType = GetString(output, ResponsesFields.Type);
                if (outputType == ResponsesFields.ItemTypes.Logs)
                {
                    result.Outputs.Add(new TextContent(GetString(output, ResponsesFields.Logs)) { RawRepresentation = output });
                }
                else if (outputType == ResponsesFields.ItemTypes.Image && GetString(output, ResponsesFields.Url) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
                {
                    result.Outputs.Add(new UriContent(uri, "image/*") { RawRepresentation = output });
                }
                else
                {
                    result.Outputs.Add(new AIContent { RawRepresentation = output });
                }
            }
        }

        contents.Add(call);
        contents.Add(result);
    }

    private static void AddMcp(JsonElement item, string id, IList<AIContent> contents)
    {
        var call = new McpServerToolCallContent(id, GetString(item, ResponsesFields.Name) ?? string.Empty, GetString(item, ResponsesFields.ServerLabel))
        {
            AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.McpCall),
        };
        if (GetString(item, ResponsesFields.Arguments) is { Length: > 0 } arguments)
        {
            try
            {
                call.Arguments = JsonSerializer.Deserialize(arguments, QwenJsonContext.Default.IDictionaryStringObject);
            }
            catch (JsonException)
            {
                // Not a JSON object: kept as text under "arguments".
                call.AdditionalProperties[ResponsesFields.Arguments] = arguments;
            }
        }

        var result = new McpServerToolResultContent(id) { RawRepresentation = item, AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.McpCall) };
        if (item.TryGetProperty(ResponsesFields.Error, out var error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            result.Outputs = [new ErrorContent(error.ValueKind == JsonValueKind.String ? error.GetString() : GetString(error, ResponsesFields.Message) ?? error.GetRawText())];
        }
        else if (item.TryGetProperty(ResponsesFields.Output, out var output) && output.ValueKind != JsonValueKind.Null)
        {
            result.Outputs = [new TextContent(output.ValueKind == JsonValueKind.String ? output.GetString() : output.GetRawText())];
        }

        contents.Add(call);
        contents.Add(result);
    }

    private static void AddFileSearch(JsonElement item, string id, IList<AIContent> contents, List<CitationAnnotation> citations)
    {
        // MEAI has no file-search call content: the generic tool call/result pair, the queries on the call, each result as a
        // citation (file id, file name, score, text as snippet) on the result and on the answer.
        var call = new ToolCallContent(id) { AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.FileSearchCall) };
        if (Strings(item, ResponsesFields.Queries) is { } queries)
        {
            call.AdditionalProperties[ResponsesFields.Queries] = queries;
        }

        var result = new ToolResultContent(id) { RawRepresentation = item, AdditionalProperties = TypeProperty(ResponsesFields.ItemTypes.FileSearchCall) };
        if (item.TryGetProperty(ResponsesFields.Results, out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in results.EnumerateArray())
            {
                var citation = new CitationAnnotation
                {
                    FileId = GetString(entry, ResponsesFields.FileId),
                    Title = GetString(entry, ResponsesFields.Filename),
                    Snippet = GetString(entry, ResponsesFields.Text),
                    ToolName = ResponsesParameters.Values.FileSearch,
                    RawRepresentation = entry,
                };
                if (entry.TryGetProperty(ResponsesFields.Score, out var score) && score.ValueKind == JsonValueKind.Number)
                {
                    citation.AdditionalProperties = new() { [ScoreKey] = score.GetDouble() };
                }

                (result.Annotations ??= []).Add(citation);
                citations.Add(citation);
            }
        }

        contents.Add(call);
        contents.Add(result);
    }
}
