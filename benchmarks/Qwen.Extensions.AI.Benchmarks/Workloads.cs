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
    public static async Task<int> FloorSseAsync(CannedResponse response)
    {
        var tokens = 0;
        var parser = SseParser.Create(new CannedStream(response.Body, response.EventEnds), static (_, data) =>
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

    private static ChatHistory CreateSkPrompt()
    {
        var history = new ChatHistory();
        history.AddUserMessage("Tell me about the fox.");
        return history;
    }
}
