using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Responses;

/// <summary>
/// Issue 15's "done when", end to end: <see cref="QwenResponsesChatClient"/> against the emulator's <c>/responses</c> (written from
/// the docs, not from the client), through MEAI, both paths: a multi-turn tool loop under <see cref="FunctionInvokingChatClient"/>,
/// a web-search answer with its sources as citations, a code-interpreter call and an MCP call.
/// </summary>
public sealed class ResponsesOverEmulatorTests : IAsyncLifetime
{
    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public static TheoryData<bool> BothPaths => new() { false, true };

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AToolLoopRunsUnderFunctionInvokingChatClientAndContinuesOnTheServer(bool streaming)
    {
        var calls = new List<string>();
        var weather = AIFunctionFactory.Create((string city) => { calls.Add(city); return $"{city}: sunny, 23 degrees"; }, "get_weather", "Gets the current weather for a city.");
        using var client = new QwenResponsesChatClient(_emulator.CreateClientOptions("qwen3.5-plus")).AsBuilder().UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [weather] };

        var first = await GetAsync(client, [new(ChatRole.User, "What is the weather in Paris? Use get weather.")], options, streaming);

        Assert.Equal(["Paris"], calls);
        Assert.Contains("sunny", first.Text, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("resp_", first.ConversationId, StringComparison.Ordinal);

        // The second turn continues the stored conversation: only the new message goes, with the previous id.
        var second = await GetAsync(client, [new(ChatRole.User, "Thanks. And what did I ask about?")], new ChatOptions { ConversationId = first.ConversationId }, streaming);

        Assert.False(string.IsNullOrEmpty(second.Text));
        using var lastBody = System.Text.Json.JsonDocument.Parse(_emulator.Requests[^1].Body);
        var last = lastBody.RootElement;
        Assert.Equal(first.ConversationId, last.GetProperty("previous_response_id").GetString());
        Assert.Single(last.GetProperty("input").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AWebSearchAnswerCarriesItsSourcesAsCitations(bool streaming)
    {
        using var client = new QwenResponsesChatClient(_emulator.CreateClientOptions("qwen3.5-plus"));

        var response = await GetAsync(client, [new(ChatRole.User, "Search the web for the latest Qwen news.")], new ChatOptions { Tools = [new HostedWebSearchTool()] }, streaming);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.NotEmpty(contents.OfType<WebSearchToolCallContent>());
        Assert.NotEmpty(contents.OfType<WebSearchToolResultContent>());
        var urls = contents.SelectMany(c => c.Annotations ?? []).OfType<CitationAnnotation>().Select(c => c.Url?.AbsoluteUri).ToList();
        Assert.Contains("https://cn.aliyun.com/", urls);
        Assert.Contains("https://www.aliyun.com/", urls);
        Assert.False(string.IsNullOrEmpty(response.Text));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ACodeInterpreterCallComesBackWithItsCodeAndOutput(bool streaming)
    {
        using var client = new QwenResponsesChatClient(_emulator.CreateClientOptions("qwen3.5-plus"));

        var response = await GetAsync(client, [new(ChatRole.User, "What is 6 * 7? Compute it with code.")], new ChatOptions { Tools = [new HostedCodeInterpreterTool()] }, streaming);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.NotEmpty(contents.OfType<CodeInterpreterToolCallContent>());
        Assert.NotEmpty(contents.OfType<CodeInterpreterToolResultContent>());
        Assert.Contains("42", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AnMcpCallComesBackWithServerToolArgumentsAndOutput(bool streaming)
    {
        using var client = new QwenResponsesChatClient(_emulator.CreateClientOptions("qwen3.5-plus"));
        var tool = new HostedMcpServerTool("echo-server", "https://mcp.example.com/sse");

        var response = await GetAsync(client, [new(ChatRole.User, "Ask the echo-server MCP server to repeat hello.")], new ChatOptions { Tools = [tool] }, streaming);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = Assert.Single(contents.OfType<McpServerToolCallContent>());
        Assert.Equal("echo-server", call.ServerName);
        Assert.NotEmpty(contents.OfType<McpServerToolResultContent>());
    }

    private static async Task<ChatResponse> GetAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options, bool streaming)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return streaming
            ? await client.GetStreamingResponseAsync(messages, options, cts.Token).ToChatResponseAsync(cts.Token)
            : await client.GetResponseAsync(messages, options, cts.Token);
    }
}
