namespace Qwen.Extensions.AI.Emulator.Responses;

/// <summary>The output item types of §1.6, as the emulator builds them (its own wire types, written by <see cref="ResponsesWriter"/>).</summary>
internal enum OutputKind
{
    Message,
    Reasoning,
    FunctionCall,
    WebSearchCall,
    WebExtractorCall,
    CodeInterpreterCall,
    FileSearchCall,
    McpCall,
}

/// <summary>One <c>file_search_call</c> result: <c>{score, filename, text, file_id}</c> [doc RE].</summary>
internal sealed record FileSearchHit(double Score, string FileName, string Text, string FileId);

/// <summary>One output item; which fields matter depends on <see cref="Kind"/>.</summary>
internal sealed record OutputItem(OutputKind Kind, string Id)
{
    /// <summary>Gets the message text or the reasoning summary text.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Gets the function or MCP tool name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the function or MCP arguments (JSON text).</summary>
    public string? Arguments { get; init; }

    /// <summary>Gets the function call id (<c>call_…</c>).</summary>
    public string? CallId { get; init; }

    /// <summary>Gets the MCP server label.</summary>
    public string? ServerLabel { get; init; }

    /// <summary>Gets the MCP or web-extractor output.</summary>
    public string? Output { get; init; }

    /// <summary>Gets the web-search query or the file-search query.</summary>
    public string? Query { get; init; }

    /// <summary>Gets the web-search sources or the web-extractor URLs.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>Gets the web-extractor goal.</summary>
    public string? Goal { get; init; }

    /// <summary>Gets the code the code interpreter ran.</summary>
    public string? Code { get; init; }

    /// <summary>Gets the code interpreter's logs.</summary>
    public string? Logs { get; init; }

    /// <summary>Gets the file-search results.</summary>
    public IReadOnlyList<FileSearchHit> Results { get; init; } = [];

    /// <summary>Gets the name of the built-in tool this item counts for in <c>usage.x_tools</c>, or <see langword="null"/>.</summary>
    public string? ToolName => Kind switch
    {
        OutputKind.WebSearchCall => "web_search",
        OutputKind.WebExtractorCall => "web_extractor",
        OutputKind.CodeInterpreterCall => "code_interpreter",
        OutputKind.FileSearchCall => "file_search",
        OutputKind.McpCall => "mcp",
        _ => null,
    };
}

/// <summary>
/// One item of the conversation as the model sees it (§1.4 input items, plus the output items of stored responses):
/// a message, a function call or its output, or a built-in tool call.
/// </summary>
internal sealed record ContextItem(string Type, string Role, string Text)
{
    /// <summary>Gets the image URLs of a user message.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    public string? CallId { get; init; }

    public string? Name { get; init; }

    public string? Arguments { get; init; }

    /// <summary>Gets the item's id as listed by <c>input_items</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets the original JSON of a non-message input item (echoed by <c>input_items</c>).</summary>
    public JsonElement? Raw { get; init; }

    public bool IsMessage => Type == "message";

    public static ContextItem FromOutput(OutputItem item) => item.Kind switch
    {
        OutputKind.Message => new ContextItem("message", "assistant", item.Text) { Id = item.Id },
        OutputKind.FunctionCall => new ContextItem("function_call", "assistant", string.Empty) { Id = item.Id, CallId = item.CallId, Name = item.Name, Arguments = item.Arguments },
        OutputKind.Reasoning => new ContextItem("reasoning", "assistant", item.Text) { Id = item.Id },
        _ => new ContextItem(ResponsesWriter.TypeName(item.Kind), "assistant", item.Output ?? item.Logs ?? string.Join(" ", item.Urls)) { Id = item.Id, Name = item.ToolName },
    };
}

/// <summary>The token counts of one response (§1.8).</summary>
internal sealed record ResponseUsage(int Input, int Output, int Cached, int Reasoning)
{
    public int Total => Input + Output;

    /// <summary>Gets the session-cache tokens written, or <see langword="null"/> when the session cache was not in play.</summary>
    public int? CacheCreation { get; init; }

    /// <summary>Gets the built-in tool calls by tool name (<c>x_tools</c>).</summary>
    public IReadOnlyDictionary<string, int> Tools { get; init; } = new Dictionary<string, int>();
}
