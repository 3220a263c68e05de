using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>
/// A 300-delta text stream of DashScope's Responses API (the event sequence of shared/docs/dashscope-more.md §1.12, with its
/// framing from §1.9: <c>id:</c>, <c>event:</c> without a space, a <c>:HTTP_STATUS/200</c> comment, <c>data:</c>, no <c>[DONE]</c>)
/// read by <see cref="QwenResponsesChatClient"/> and by Microsoft.Extensions.AI.OpenAI's Responses client (the baseline); next to
/// them <see cref="QwenChatClient"/> reads the chat-completions stream with the same 300 text deltas (<see cref="Payloads.Stream300Text"/>),
/// so the cost per event of the two protocols sits side by side. <see cref="Floor"/> is the Responses bytes through
/// <c>SseParser</c> and one <c>Utf8JsonReader</c> pass per event.
/// </summary>
public class ResponsesStream300Text
{
    public const int Deltas = Payloads.StreamTextChunks;

    private const string ResponseId = "resp_428c90e9-9cd6-90a6-9726-c02b08ebe0aa";
    private const string ItemId = "msg_bcb45d66-fc34-46a2-bb56-714a51e8e0aa";
    private const string Created = "1769082930";

    private static readonly string[] Words =
        ["The ", "quick ", "brown ", "fox ", "jumps ", "over ", "the ", "lazy ", "dog; ", "Qwen ", "answers ", "in ", "small ", "pieces, ", "token ", "by ", "token. "];

    private HttpClient _responsesHttp = null!;
    private HttpClient _chatHttp = null!;
    private QwenResponsesChatClient _qwen = null!;
    private IChatClient _openAI = null!;
    private QwenChatClient _qwenChat = null!;

    /// <summary>Gets the canned Responses stream: created, in_progress, item and part added, 300 deltas, the done events, completed.</summary>
    public static CannedResponse Response { get; } = Build(Deltas);

    [GlobalSetup]
    public void Setup()
    {
        _responsesHttp = new HttpClient(new CannedHandler(Response), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _chatHttp = new HttpClient(new CannedHandler(Payloads.Stream300Text), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _qwen = new QwenResponsesChatClient(new QwenClientOptions { ApiKey = "sk-benchmark", Endpoint = Contenders.Endpoint, DefaultModelId = Payloads.Model }, _responsesHttp);
        _openAI = new OpenAIClient(new ApiKeyCredential("sk-benchmark"), new OpenAIClientOptions { Endpoint = Contenders.Endpoint, Transport = new HttpClientPipelineTransport(_responsesHttp) })
            .GetResponsesClient()
            .AsIChatClient(Payloads.Model);
        _qwenChat = new QwenChatClient(new QwenClientOptions { ApiKey = "sk-benchmark", Endpoint = Contenders.Endpoint, DefaultModelId = Payloads.Model }, _chatHttp);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _qwen.Dispose();
        _openAI.Dispose();
        _qwenChat.Dispose();
        _responsesHttp.Dispose();
        _chatHttp.Dispose();
    }

    [Benchmark]
    public Task<int> Qwen() => Workloads.StreamAsync(_qwen, Workloads.Prompt, Workloads.Options);

    [Benchmark(Baseline = true)]
    public Task<int> OpenAIResponsesChatClient() => Workloads.StreamAsync(_openAI, Workloads.Prompt, Workloads.Options);

    /// <summary>QwenChatClient over chat completions with the same 300 text deltas (a different protocol, so different bytes).</summary>
    [Benchmark]
    public Task<int> QwenChatCompletions() => Workloads.StreamAsync(_qwenChat, Workloads.Prompt, Workloads.Options);

    [Benchmark]
    public Task<int> Floor() => Workloads.FloorSseAsync(Response);

    /// <summary>The Responses stream of <paramref name="deltas"/> text deltas.</summary>
    public static CannedResponse Build(int deltas)
    {
        var text = new StringBuilder();
        for (var i = 0; i < deltas; i++)
        {
            text.Append(Words[i % Words.Length]);
        }

        var full = text.ToString();
        var events = new List<(string Type, string Data)>
        {
            ("response.created", "{\"response\":{\"output\":[],\"parallel_tool_calls\":false,\"created_at\":" + Created + ",\"tool_choice\":\"auto\",\"model\":\"\",\"id\":\"" + ResponseId + "\",\"tools\":[],\"object\":\"response\",\"status\":\"queued\"},\"sequence_number\":0,\"type\":\"response.created\"}"),
            ("response.in_progress", "{\"response\":{\"output\":[],\"parallel_tool_calls\":false,\"created_at\":" + Created + ",\"tool_choice\":\"auto\",\"model\":\"" + Payloads.Model + "\",\"id\":\"" + ResponseId + "\",\"tools\":[],\"object\":\"response\",\"status\":\"in_progress\"},\"sequence_number\":1,\"type\":\"response.in_progress\"}"),
            ("response.output_item.added", "{\"item\":{\"id\":\"" + ItemId + "\",\"content\":[],\"role\":\"assistant\",\"status\":\"in_progress\",\"type\":\"message\"},\"output_index\":0,\"sequence_number\":2,\"type\":\"response.output_item.added\"}"),
            ("response.content_part.added", "{\"content_index\":0,\"item_id\":\"" + ItemId + "\",\"output_index\":0,\"part\":{\"annotations\":[],\"text\":\"\",\"type\":\"output_text\",\"logprobs\":null},\"sequence_number\":3,\"type\":\"response.content_part.added\"}"),
        };

        for (var i = 0; i < deltas; i++)
        {
            events.Add(("response.output_text.delta", "{\"content_index\":0,\"delta\":\"" + Words[i % Words.Length] + "\",\"item_id\":\"" + ItemId + "\",\"logprobs\":[],\"output_index\":0,\"sequence_number\":" + (4 + i) + ",\"type\":\"response.output_text.delta\"}"));
        }

        var seq = 4 + deltas;
        var part = "{\"annotations\":[],\"text\":\"" + full + "\",\"type\":\"output_text\",\"logprobs\":null}";
        var item = "{\"id\":\"" + ItemId + "\",\"content\":[" + part + "],\"role\":\"assistant\",\"status\":\"completed\",\"type\":\"message\"}";
        events.Add(("response.output_text.done", "{\"content_index\":0,\"item_id\":\"" + ItemId + "\",\"logprobs\":[],\"output_index\":0,\"sequence_number\":" + seq++ + ",\"text\":\"" + full + "\",\"type\":\"response.output_text.done\"}"));
        events.Add(("response.content_part.done", "{\"content_index\":0,\"item_id\":\"" + ItemId + "\",\"output_index\":0,\"part\":" + part + ",\"sequence_number\":" + seq++ + ",\"type\":\"response.content_part.done\"}"));
        events.Add(("response.output_item.done", "{\"item\":" + item + ",\"output_index\":0,\"sequence_number\":" + seq++ + ",\"type\":\"response.output_item.done\"}"));
        events.Add(("response.completed", "{\"response\":{\"id\":\"" + ResponseId + "\",\"created_at\":" + Created + ",\"model\":\"" + Payloads.Model + "\",\"object\":\"response\",\"output\":[" + item + "],\"parallel_tool_calls\":false,\"status\":\"completed\",\"tool_choice\":\"auto\",\"tools\":[]," +
            "\"usage\":{\"input_tokens\":37,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + deltas + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":" + (37 + deltas) +
            ",\"x_details\":[{\"input_tokens\":37,\"output_tokens\":" + deltas + ",\"total_tokens\":" + (37 + deltas) + ",\"x_billing_type\":\"response_api\"}]}},\"sequence_number\":" + seq + ",\"type\":\"response.completed\"}"));

        var bytes = new List<byte>();
        var ends = new int[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes("id:" + (i + 1) + "\nevent:" + events[i].Type + "\n:HTTP_STATUS/200\ndata:" + events[i].Data + "\n\n"));
            ends[i] = bytes.Count;
        }

        return new CannedResponse(bytes.ToArray(), ends, "text/event-stream");
    }
}
