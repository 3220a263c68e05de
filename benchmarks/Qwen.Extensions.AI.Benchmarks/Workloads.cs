using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>What each contender does per operation; every method returns a count of what it received so nothing is optimized away.</summary>
public static class Workloads
{
    public static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Tell me about the fox.")];

    public static readonly ChatOptions Options = new() { ModelId = Payloads.Model };

    public static readonly ChatHistory SkPrompt = CreateSkPrompt();

    public static async Task<int> ResponseAsync(IChatClient client, IList<ChatMessage> messages, ChatOptions options)
    {
        var response = await client.GetResponseAsync(messages, options);
        var n = 0;
        foreach (var message in response.Messages)
        {
            n += message.Contents.Count;
        }

        return n;
    }

    public static async Task<int> StreamAsync(IChatClient client, IList<ChatMessage> messages, ChatOptions options)
    {
        var n = 0;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            n += update.Contents.Count;
        }

        return n;
    }

    public static async Task<int> SkResponseAsync(IChatCompletionService service, ChatHistory history)
    {
        var n = 0;
        foreach (var message in await service.GetChatMessageContentsAsync(history))
        {
            n += message.Items.Count;
        }

        return n;
    }

    public static async Task<int> SkStreamAsync(IChatCompletionService service, ChatHistory history)
    {
        var n = 0;
        await foreach (var update in service.GetStreamingChatMessageContentsAsync(history))
        {
            n += update.Items.Count + (update.Content is { Length: > 0 } ? 1 : 0);
        }

        return n;
    }

    /// <summary>The floor for a JSON body: one <see cref="Utf8JsonReader"/> pass over every token, no objects.</summary>
    public static int FloorJson(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    /// <summary>The floor for a stream: the same bytes through <see cref="SseParser"/> and a <see cref="Utf8JsonReader"/> pass per event, no objects.</summary>
    public static Task<int> FloorSseAsync(CannedResponse response) => FloorSseAsync(new CannedStream(response.Body, response.EventEnds));

    private static async Task<int> FloorSseAsync(Stream stream)
    {
        var tokens = 0;
        var parser = SseParser.Create(stream, static (_, data) =>
        {
            if (data.SequenceEqual("[DONE]"u8))
            {
                return 0;
            }

            var reader = new Utf8JsonReader(data);
            var n = 0;
            while (reader.Read())
            {
                n++;
            }

            return n;
        });

        await foreach (var item in parser.EnumerateAsync())
        {
            tokens += item.Data;
        }

        return tokens;
    }

    /// <summary>
    /// The floor over HTTP: the same POST through <see cref="HttpClient"/> (a small fixed body, the same headers a connector
    /// sends), then the floor parse of the answer. What any HttpClient-based connector pays before it creates a single object.
    /// </summary>
    public static async Task<int> FloorOverHttpAsync(HttpClient http, bool streaming)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletionsUri) { Content = new ReadOnlyMemoryContent(FloorRequestBody) };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-benchmark");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var stream = await response.Content.ReadAsStreamAsync();
        if (streaming)
        {
            return await FloorSseAsync(stream);
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read, total = 0;
            while ((read = await stream.ReadAsync(buffer.AsMemory(total))) > 0)
            {
                total += read;
            }

            var reader = new Utf8JsonReader(buffer.AsSpan(0, total));
            var tokens = 0;
            while (reader.Read())
            {
                tokens++;
            }

            return tokens;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static readonly Uri ChatCompletionsUri = new(Contenders.Endpoint.AbsoluteUri.TrimEnd('/') + "/chat/completions");

    private static readonly System.Net.Http.Headers.MediaTypeHeaderValue JsonContentType = new("application/json");

    private static readonly byte[] FloorRequestBody = System.Text.Encoding.UTF8.GetBytes(
        "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about the fox.\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    private static ChatHistory CreateSkPrompt()
    {
        var history = new ChatHistory();
        history.AddUserMessage("Tell me about the fox.");
        return history;
    }
}
