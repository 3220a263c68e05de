using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI;

// Serves one JSON reply and one SSE stream on 127.0.0.1, calls both through QwenChatClient, prints what came back.
// Exit code 0 only when both paths returned the expected text, a tool call and usage.
const string Completion =
    "{\"id\":\"chatcmpl-aot\",\"object\":\"chat.completion\",\"created\":1724729595,\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\"," +
    "\"content\":\"Hello from NativeAOT\",\"reasoning_content\":\"thinking\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Hangzhou\\\"}\"}}]}," +
    "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4,\"total_tokens\":9}}";
string[] chunks =
[
    "{\"id\":\"chatcmpl-aot\",\"object\":\"chat.completion.chunk\",\"created\":1724729595,\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
    "{\"id\":\"chatcmpl-aot\",\"object\":\"chat.completion.chunk\",\"created\":1724729595,\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello \"},\"finish_reason\":null}]}",
    "{\"id\":\"chatcmpl-aot\",\"object\":\"chat.completion.chunk\",\"created\":1724729595,\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"stream\"},\"finish_reason\":\"stop\"}]}",
    "{\"id\":\"chatcmpl-aot\",\"object\":\"chat.completion.chunk\",\"created\":1724729595,\"model\":\"qwen-plus\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}",
    "[DONE]",
];

var listener = new TcpListener(IPAddress.Loopback, 0);
listener.Start();
var port = ((IPEndPoint)listener.LocalEndpoint).Port;
using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
var server = Task.Run(async () =>
{
    for (var i = 0; i < 2; i++)
    {
        using var socket = await listener.AcceptSocketAsync(cts.Token);
        await using var stream = new NetworkStream(socket);
        var request = await ReadRequestAsync(stream, cts.Token);
        var streaming = request.Contains("\"stream\":true", StringComparison.Ordinal);
        var body = streaming
            ? string.Concat(chunks.Select(c => "data: " + c + "\n\n"))
            : Completion;
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: {(streaming ? "text/event-stream" : "application/json")}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nx-request-id: aot-1\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head + body), cts.Token);
    }
});

using var client = new QwenChatClient(new QwenClientOptions { ApiKey = "sk-aot-smoke", Endpoint = new Uri($"http://127.0.0.1:{port}/compatible-mode/v1"), DefaultModelId = "qwen-plus" });
var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], cancellationToken: cts.Token);
var call = response.Messages[0].Contents.OfType<FunctionCallContent>().Single();
Console.WriteLine($"response: {response.Text} | reasoning: {response.Messages[0].Contents.OfType<TextReasoningContent>().Single().Text} | call: {call.Name}({call.Arguments!["city"]}) | tokens: {response.Usage?.TotalTokenCount}");

var text = new StringBuilder();
long? streamedTokens = null;
await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], cancellationToken: cts.Token))
{
    text.Append(update.Text);
    streamedTokens ??= update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details.TotalTokenCount;
}

Console.WriteLine($"stream: {text} | tokens: {streamedTokens}");
await server;
var ok = response.Text == "Hello from NativeAOT" && call.Arguments["city"]?.ToString() == "Hangzhou" && response.Usage?.TotalTokenCount == 9
    && text.ToString() == "Hello stream" && streamedTokens == 7;
Console.WriteLine(ok ? "AOT SMOKE OK" : "AOT SMOKE FAILED");
return ok ? 0 : 1;

static async Task<string> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
{
    var buffer = new byte[64 * 1024];
    var total = 0;
    while (true)
    {
        var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
        if (read == 0)
        {
            break;
        }

        total += read;
        var text = Encoding.UTF8.GetString(buffer, 0, total);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            continue;
        }

        var lengthLine = text[..headerEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (total - headerEnd - 4 >= length)
        {
            return text;
        }
    }

    return Encoding.UTF8.GetString(buffer, 0, total);
}
