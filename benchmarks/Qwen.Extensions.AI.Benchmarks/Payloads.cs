using System.Text;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>
/// The canned DashScope bytes every contender reads: deterministic, shaped like real compatible-mode traffic
/// (see the captures in the wire-mapping doc). Streams are SSE with one <c>data:</c> event per <see cref="CannedResponse.EventEnds"/> entry.
/// </summary>
public static class Payloads
{
    public const string Model = "qwen-plus";
    private const string Id = "chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18";
    private const string Created = "1724729595";

    private static readonly string[] Words =
        ["The ", "quick ", "brown ", "fox ", "jumps ", "over ", "the ", "lazy ", "dog; ", "Qwen ", "answers ", "in ", "small ", "pieces, ", "token ", "by ", "token. "];

    /// <summary>A non-streaming reply of about 1 KB.</summary>
    public static CannedResponse NonStreaming1KB { get; } = Json(Completion(Text(760), reasoning: null, toolCalls: false));

    /// <summary>A non-streaming reply of about 20 KB: reasoning, text and two tool calls.</summary>
    public static CannedResponse NonStreaming20KB { get; } = Json(Completion(Text(6_000), reasoning: Text(12_500), toolCalls: true));

    /// <summary>300 text chunks (plus the role chunk, the finish chunk, the usage chunk and [DONE]).</summary>
    public static CannedResponse Stream300Text { get; } = TextStream(300);

    /// <summary>A text stream of <paramref name="chunks"/> text chunks (used by the allocation test to cancel fixed costs).</summary>
    public static CannedResponse TextStream(int chunks) => Sse(TextChunks(reasoningChunks: 0, textChunks: chunks));

    /// <summary>150 reasoning chunks then 150 text chunks.</summary>
    public static CannedResponse Stream300Reasoning { get; } = Sse(TextChunks(reasoningChunks: 150, textChunks: 150));

    /// <summary>50 tool-call fragments for 3 parallel calls, the way DashScope sends them.</summary>
    public static CannedResponse StreamToolCalls { get; } = Sse(ToolCallChunks(fragments: 50, calls: 3));

    /// <summary>The number of text (or reasoning) chunks in the text streams.</summary>
    public const int StreamTextChunks = 300;

    private static string Text(int length)
    {
        var sb = new StringBuilder(length + 16);
        for (var i = 0; sb.Length < length; i++)
        {
            sb.Append(Words[i % Words.Length]);
        }

        return sb.ToString(0, length);
    }

    private static string Completion(string content, string? reasoning, bool toolCalls)
    {
        var sb = new StringBuilder();
        sb.Append("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"").Append(content).Append('"');
        if (reasoning is not null)
        {
            sb.Append(",\"reasoning_content\":\"").Append(reasoning).Append('"');
        }

        if (toolCalls)
        {
            sb.Append(",\"tool_calls\":[")
              .Append("{\"index\":0,\"id\":\"call_6a1b2c3d4e5f60718293a4b5\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\": \\\"Hangzhou\\\", \\\"unit\\\": \\\"celsius\\\", \\\"days\\\": 3}\"}},")
              .Append("{\"index\":1,\"id\":\"call_7b2c3d4e5f60718293a4b5c6\",\"type\":\"function\",\"function\":{\"name\":\"search_docs\",\"arguments\":\"{\\\"query\\\": \\\"DashScope compatible mode streaming\\\", \\\"top_k\\\": 5, \\\"filters\\\": {\\\"lang\\\": \\\"en\\\"}}\"}}")
              .Append(']');
        }

        sb.Append("},\"finish_reason\":\"").Append(toolCalls ? "tool_calls" : "stop").Append("\",\"index\":0,\"logprobs\":null}],");
        sb.Append("\"object\":\"chat.completion\",\"usage\":{\"prompt_tokens\":3019,\"completion_tokens\":104,\"total_tokens\":3123,\"prompt_tokens_details\":{\"cached_tokens\":2048}");
        if (reasoning is not null)
        {
            sb.Append(",\"completion_tokens_details\":{\"reasoning_tokens\":1800}");
        }

        sb.Append("},\"created\":").Append(Created).Append(",\"system_fingerprint\":null,\"model\":\"").Append(Model).Append("\",\"id\":\"").Append(Id).Append("\"}");
        return sb.ToString();
    }

    private static string Chunk(string delta, string finishReason = "null") =>
        "{\"choices\":[{\"delta\":" + delta + ",\"finish_reason\":" + finishReason + ",\"index\":0,\"logprobs\":null}],\"object\":\"chat.completion.chunk\",\"usage\":null,\"created\":" + Created +
        ",\"system_fingerprint\":null,\"model\":\"" + Model + "\",\"id\":\"" + Id + "\"}";

    private static string UsageChunk(bool reasoning) =>
        "{\"choices\":[],\"object\":\"chat.completion.chunk\",\"usage\":{\"prompt_tokens\":3019,\"completion_tokens\":" + (reasoning ? 1104 : 304) +
        ",\"total_tokens\":" + (reasoning ? 4123 : 3323) + ",\"prompt_tokens_details\":{\"cached_tokens\":2048}" + (reasoning ? ",\"completion_tokens_details\":{\"reasoning_tokens\":800}" : string.Empty) +
        "},\"created\":" + Created + ",\"system_fingerprint\":null,\"model\":\"" + Model + "\",\"id\":\"" + Id + "\"}";

    private static List<string> TextChunks(int reasoningChunks, int textChunks)
    {
        var events = new List<string> { Chunk("{\"content\":\"\",\"role\":\"assistant\"}") };
        for (var i = 0; i < reasoningChunks; i++)
        {
            events.Add(Chunk("{\"content\":null,\"reasoning_content\":\"" + Words[i % Words.Length] + "\"}"));
        }

        for (var i = 0; i < textChunks; i++)
        {
            events.Add(Chunk("{\"content\":\"" + Words[i % Words.Length] + "\"}"));
        }

        events.Add(Chunk("{}", "\"stop\""));
        events.Add(UsageChunk(reasoningChunks > 0));
        events.Add("[DONE]");
        return events;
    }

    private static List<string> ToolCallChunks(int fragments, int calls)
    {
        string[] names = ["get_weather", "search_docs", "book_table"];
        var perCall = fragments / calls;
        var events = new List<string> { Chunk("{\"content\":\"\",\"role\":\"assistant\"}") };
        var emitted = 0;
        for (var call = 0; call < calls; call++)
        {
            var count = call == calls - 1 ? fragments - emitted : perCall;
            for (var f = 0; f < count; f++, emitted++)
            {
                string piece = f == 0 ? "{\\\"arg0\\\": \\\"v" : f == count - 1 ? "end\\\"}" : "x" + f + "y";
                var toolCall = f == 0
                    ? "{\"index\":" + call + ",\"id\":\"call_" + call + "a1b2c3d4e5f60718293a4b5\",\"type\":\"function\",\"function\":{\"name\":\"" + names[call % names.Length] + "\",\"arguments\":\"" + piece + "\"}}"
                    : "{\"index\":" + call + ",\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\"" + piece + "\"}}";
                events.Add(Chunk("{\"content\":null,\"tool_calls\":[" + toolCall + "]}"));
            }
        }

        events.Add(Chunk("{}", "\"tool_calls\""));
        events.Add(UsageChunk(false));
        events.Add("[DONE]");
        return events;
    }

    private static CannedResponse Json(string body) => new(Encoding.UTF8.GetBytes(body), null, "application/json");

    private static CannedResponse Sse(List<string> events)
    {
        var bytes = new List<byte>();
        var ends = new int[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes("data: " + events[i] + "\n\n"));
            ends[i] = bytes.Count;
        }

        return new CannedResponse(bytes.ToArray(), ends, "text/event-stream");
    }
}

/// <summary>Canned response bytes; <see cref="EventEnds"/> (streams only) are the offsets where each SSE event ends.</summary>
public sealed record CannedResponse(byte[] Body, int[]? EventEnds, string MediaType);
