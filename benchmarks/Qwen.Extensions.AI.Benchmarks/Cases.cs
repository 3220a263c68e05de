using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>A non-streaming reply read by each contender; the baseline is <c>OpenAIChatClient</c>.</summary>
public abstract class NonStreamingCase
{
    private Contenders _contenders = null!;

    protected abstract CannedResponse Response { get; }

    [GlobalSetup]
    public void Setup() => _contenders = new Contenders(Response);

    [GlobalCleanup]
    public void Cleanup() => _contenders.Dispose();

    [Benchmark]
    public Task<int> Qwen() => Workloads.ResponseAsync(_contenders.Qwen, Workloads.Prompt, Workloads.Options);

    [Benchmark(Baseline = true)]
    public Task<int> OpenAIChatClient() => Workloads.ResponseAsync(_contenders.OpenAI, Workloads.Prompt, Workloads.Options);

    [Benchmark]
    public Task<int> SemanticKernel() => Workloads.SkResponseAsync(_contenders.SemanticKernel, Workloads.SkPrompt);

    [Benchmark]
    public int Floor() => Workloads.FloorJson(Response.Body);
}

/// <summary>A streamed reply consumed update by update by each contender; the baseline is <c>OpenAIChatClient</c>.</summary>
public abstract class StreamingCase
{
    private Contenders _contenders = null!;

    protected abstract CannedResponse Response { get; }

    [GlobalSetup]
    public void Setup() => _contenders = new Contenders(Response);

    [GlobalCleanup]
    public void Cleanup() => _contenders.Dispose();

    [Benchmark]
    public Task<int> Qwen() => Workloads.StreamAsync(_contenders.Qwen, Workloads.Prompt, Workloads.Options);

    [Benchmark(Baseline = true)]
    public Task<int> OpenAIChatClient() => Workloads.StreamAsync(_contenders.OpenAI, Workloads.Prompt, Workloads.Options);

    [Benchmark]
    public Task<int> SemanticKernel() => Workloads.SkStreamAsync(_contenders.SemanticKernel, Workloads.SkPrompt);

    [Benchmark]
    public Task<int> Floor() => Workloads.FloorSseAsync(Response);
}

/// <summary>Non-streaming, a 1 KB reply.</summary>
public class NonStreaming1KB : NonStreamingCase
{
    protected override CannedResponse Response => Payloads.NonStreaming1KB;
}

/// <summary>Non-streaming, a 20 KB reply with reasoning and two tool calls.</summary>
public class NonStreaming20KBReasoningTools : NonStreamingCase
{
    protected override CannedResponse Response => Payloads.NonStreaming20KB;
}

/// <summary>A 300-chunk text stream.</summary>
public class Stream300Text : StreamingCase
{
    protected override CannedResponse Response => Payloads.Stream300Text;
}

/// <summary>A 300-chunk stream: 150 reasoning chunks, then 150 text chunks.</summary>
public class Stream300ReasoningThenText : StreamingCase
{
    protected override CannedResponse Response => Payloads.Stream300Reasoning;
}

/// <summary>A tool-call stream: 50 fragments for 3 parallel calls.</summary>
public class StreamToolCalls50x3 : StreamingCase
{
    protected override CannedResponse Response => Payloads.StreamToolCalls;
}

/// <summary>
/// Request serialization: 20 messages, 10 tools, two images (one a 1 MB <see cref="DataContent"/>). The handler reads the
/// whole request body (so lazy serializers pay too) and answers with the 1 KB reply. Semantic Kernel is left out: its tools
/// come from kernel plugins, not declarations, so the same request cannot be expressed without a different workload.
/// </summary>
public class RequestSerialization
{
    private Contenders _contenders = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _contenders = new Contenders(Payloads.NonStreaming1KB, drainRequest: true);
        (_messages, _options) = BigRequest.Create(imageBytes: 1024 * 1024);
    }

    [GlobalCleanup]
    public void Cleanup() => _contenders.Dispose();

    [Benchmark]
    public Task<int> Qwen() => Workloads.ResponseAsync(_contenders.Qwen, _messages, _options);

    [Benchmark(Baseline = true)]
    public Task<int> OpenAIChatClient() => Workloads.ResponseAsync(_contenders.OpenAI, _messages, _options);
}

/// <summary>The big request of <see cref="RequestSerialization"/>: 20 messages, 10 tools, two images.</summary>
public static class BigRequest
{
    public static byte[] Image(int bytes)
    {
        var image = new byte[bytes];
        new Random(42).NextBytes(image);
        return image;
    }

    public static (List<ChatMessage> Messages, ChatOptions Options) Create(int imageBytes) => Create(Image(imageBytes));

    public static (List<ChatMessage> Messages, ChatOptions Options) Create(byte[] image)
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, "You are a careful assistant. Answer briefly, call tools when the user asks for live data."),
            new(ChatRole.User,
            [
                new TextContent("What is in these two pictures, and what is the weather where the first was taken?"),
                new DataContent(image, "image/png"),
                new UriContent(new Uri("https://example.com/images/harbour.jpg"), "image/jpeg"),
            ]),
            new(ChatRole.Assistant, [new FunctionCallContent("call_weather_1", "get_weather", new Dictionary<string, object?> { ["location"] = "Hangzhou", ["days"] = 3 })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_weather_1", "{\"temperature\":21,\"sky\":\"clear\"}")]),
        };

        for (var i = messages.Count; i < 20; i++)
        {
            messages.Add(i % 2 == 0
                ? new ChatMessage(ChatRole.Assistant, $"Turn {i}: the first picture shows a fox by a lake at dusk; the second a harbour. It is 21 °C and clear.")
                : new ChatMessage(ChatRole.User, $"Turn {i}: thanks — and what would you pack for a three-day walk there?"));
        }

        var tools = new List<AITool>();
        for (var i = 0; i < 10; i++)
        {
            var schema = JsonDocument.Parse(
                "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\",\"description\":\"City and country\"}," +
                "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":14},\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":[\"location\"]}").RootElement;
            tools.Add(AIFunctionFactory.CreateDeclaration($"tool_{i}", $"Tool number {i}: looks up live data for a location.", schema));
        }

        return (messages, new ChatOptions { ModelId = Payloads.Model, Tools = tools, Temperature = 0.7f, MaxOutputTokens = 512 });
    }
}
