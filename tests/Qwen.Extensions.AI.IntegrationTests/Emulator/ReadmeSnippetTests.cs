using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>The emulator README's three-line start, verbatim, works from a user's test.</summary>
public sealed class ReadmeSnippetTests
{
    [Fact]
    public async Task ThreeLineStartAnswersTheReadmeQuestion()
    {
        await using var emulator = await QwenEmulator.StartAsync();        // 127.0.0.1, free port
        using IChatClient client = emulator.CreateChatClient("qwen-plus"); // a QwenChatClient bound to it
        var answer = await client.GetResponseAsync("What is 6 * 7?");      // "6 * 7 = 42."

        Assert.Equal("6 * 7 = 42.", answer.Text);
        Assert.Equal("qwen-plus", emulator.LastRequest!.Model);
    }
}
