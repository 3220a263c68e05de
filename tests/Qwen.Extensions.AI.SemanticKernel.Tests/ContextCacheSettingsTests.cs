using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary><see cref="QwenPromptExecutionSettings.ContextCache"/> (and <c>contextCache</c> in extension data) chooses the cache policy per request.</summary>
public sealed class ContextCacheSettingsTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private Kernel _kernel = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        _kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus", _server.ApiKey, _server.Endpoint).Build();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TypedAutoMarksTheSystemPromptAndTheLastUserTurn(bool streaming)
    {
        var body = await SendAsync(new QwenPromptExecutionSettings { ContextCache = QwenContextCachePolicy.Auto }, streaming);

        var messages = body.GetProperty("messages");
        Assert.Equal("ephemeral", messages[0].GetProperty("content")[0].GetProperty("cache_control").GetProperty("type").GetString());
        Assert.Equal("ephemeral", messages[1].GetProperty("content")[0].GetProperty("cache_control").GetProperty("type").GetString());
        Assert.False(body.TryGetProperty("contextCache", out _));
    }

    [Fact]
    public async Task UnsetLeavesTheClientsPolicyOfNoMarkers()
    {
        var body = await SendAsync(new QwenPromptExecutionSettings(), streaming: false);

        Assert.Equal(JsonValueKind.String, body.GetProperty("messages")[0].GetProperty("content").ValueKind);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("\"Auto\"")]
    public async Task ExtensionDataContextCacheIsReadAsTheTypedSetting(string value)
    {
        object raw = value.StartsWith('"') ? JsonDocument.Parse(value).RootElement.Clone() : value;
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["contextCache"] = raw } };

        Assert.Equal(QwenContextCachePolicy.Auto, QwenPromptExecutionSettings.FromExecutionSettings(settings).ContextCache);
        var body = await SendAsync(settings, streaming: false);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("messages")[0].GetProperty("content").ValueKind);
    }

    [Fact]
    public void ABadValueNamesTheSetting()
    {
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["contextCache"] = "always" } };

        var ex = Assert.Throws<ArgumentException>(() => QwenPromptExecutionSettings.FromExecutionSettings(settings));
        Assert.Contains("contextCache", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CloneKeepsTheSettingAndJsonUsesItsName()
    {
        var settings = new QwenPromptExecutionSettings { ContextCache = QwenContextCachePolicy.Auto };

        Assert.Equal(QwenContextCachePolicy.Auto, ((QwenPromptExecutionSettings)settings.Clone()).ContextCache);
        Assert.Contains("\"contextCache\":\"Auto\"", JsonSerializer.Serialize(settings), StringComparison.Ordinal);
    }

    private async Task<JsonElement> SendAsync(PromptExecutionSettings settings, bool streaming)
    {
        var chat = _kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddSystemMessage("Be brief.");
        history.AddUserMessage("Hi");
        if (streaming)
        {
            await chat.GetStreamingChatMessageContentsAsync(history, settings, _kernel).ToListAsync();
        }
        else
        {
            await chat.GetChatMessageContentAsync(history, settings, _kernel);
        }

        return _server.Requests[^1];
    }
}
