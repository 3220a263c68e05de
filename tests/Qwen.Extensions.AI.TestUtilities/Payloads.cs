using System.Text;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>Wire payloads shaped like the captured ones in the service's documentation.</summary>
public static class Payloads
{
    public static string Completion(string text = "Hello") =>
        "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null}]," +
        "\"object\":\"chat.completion\",\"usage\":{\"prompt_tokens\":3019,\"completion_tokens\":104,\"total_tokens\":3123,\"prompt_tokens_details\":{\"cached_tokens\":2048}}," +
        "\"created\":1735120033,\"system_fingerprint\":null,\"model\":\"qwen-plus\",\"id\":\"chatcmpl-6ada9ed2-7f33-9de2-8bb0-78bd4035025a\"}";

    public static string Chunk(string content, string? finishReason = null) =>
        "{\"choices\":[{\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":" + (finishReason is null ? "null" : "\"" + finishReason + "\"") +
        ",\"index\":0,\"logprobs\":null}],\"object\":\"chat.completion.chunk\",\"usage\":null,\"created\":1715931028,\"system_fingerprint\":null,\"model\":\"qwen-plus\",\"id\":\"chatcmpl-3bb05cf5cd819fbca5f0b8d67a025022\"}";

    public const string UsageChunk =
        "{\"choices\":[],\"object\":\"chat.completion.chunk\",\"usage\":{\"prompt_tokens\":22,\"completion_tokens\":17,\"total_tokens\":39},\"created\":1715931028,\"system_fingerprint\":null,\"model\":\"qwen-plus\",\"id\":\"chatcmpl-3bb05cf5cd819fbca5f0b8d67a025022\"}";

    /// <summary>A whole reply: a few chunks, usage, <c>[DONE]</c>.</summary>
    public static string[] Reply(params string[] pieces)
    {
        var events = new List<string>();
        for (var i = 0; i < pieces.Length; i++)
        {
            events.Add(Chunk(pieces[i], i == pieces.Length - 1 ? "stop" : null));
        }

        events.Add(UsageChunk);
        events.Add("[DONE]");
        return events.ToArray();
    }

    public static string Sse(IEnumerable<string> events)
    {
        var sb = new StringBuilder();
        foreach (var e in events)
        {
            sb.Append("data: ").Append(e).Append("\n\n");
        }

        return sb.ToString();
    }

    public static byte[] SseBytes(params string[] events) => Encoding.UTF8.GetBytes(Sse(events));
}
