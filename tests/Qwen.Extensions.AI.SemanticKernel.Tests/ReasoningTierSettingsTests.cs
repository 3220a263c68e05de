using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>The reasoning tier as an SK setting: <c>reasoning_effort</c> on models that tier, <c>enable_thinking</c> + budget elsewhere.</summary>
public sealed class ReasoningTierSettingsTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> SendAsync(string model, PromptExecutionSettings settings, bool streaming)
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion(model, _server.ApiKey, _server.Endpoint).Build();
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage("What is 6 * 7?");
        if (streaming)
        {
            await chat.GetStreamingChatMessageContentsAsync(history, settings, kernel).ToListAsync();
        }
        else
        {
            await chat.GetChatMessageContentAsync(history, settings, kernel);
        }

        return _server.Requests[^1];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATierOnATieredModelIsReasoningEffort(bool streaming)
    {
        var body = await SendAsync("qwen3.8-max", new QwenPromptExecutionSettings { ReasoningEffort = "low" }, streaming);

        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
        Assert.False(body.TryGetProperty("enable_thinking", out _));
        Assert.False(body.TryGetProperty("thinking_budget", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATierOnAnotherModelIsEnableThinkingAndBudget(bool streaming)
    {
        var body = await SendAsync("qwen-plus", new QwenPromptExecutionSettings { ReasoningEffort = "Medium" }, streaming);

        Assert.True(body.GetProperty("enable_thinking").GetBoolean());
        Assert.Equal(8192, body.GetProperty("thinking_budget").GetInt32());
        Assert.False(body.TryGetProperty("reasoning_effort", out _));
    }

    [Fact]
    public async Task ATierMeaiLacksIsSentAsGiven()
    {
        var body = await SendAsync("qwen3.8-max", new QwenPromptExecutionSettings { ReasoningEffort = "max" }, streaming: false);

        Assert.Equal("max", body.GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public async Task ATierInPlainExtensionDataReachesTheModelAsATier()
    {
        // SK itself turns a plain settings' reasoning_effort into ChatOptions.Reasoning; the client then picks the wire by model.
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["reasoning_effort"] = "low" } };

        var tiered = await SendAsync("qwen3.8-max", settings, streaming: false);
        var other = await SendAsync("qwen-plus", settings, streaming: false);

        Assert.Equal("low", tiered.GetProperty("reasoning_effort").GetString());
        Assert.Equal(2048, other.GetProperty("thinking_budget").GetInt32());
    }

    [Fact]
    public void FromExecutionSettingsReadsTheTierFromPromptTemplateJson()
    {
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["reasoning_effort"] = JsonDocument.Parse("\"none\"").RootElement } };

        Assert.Equal("none", QwenPromptExecutionSettings.FromExecutionSettings(settings).ReasoningEffort);
    }

    [Theory]
    [InlineData("extreme")]
    [InlineData("extra high")]
    public void AnUnknownTierIsRefused(string tier)
    {
        var ex = Assert.Throws<ArgumentException>(() => new QwenPromptExecutionSettings { ReasoningEffort = tier });

        Assert.Contains("'reasoning_effort' must be one of none, minimal, low, medium, high, xhigh, max", ex.Message);
    }

    [Fact]
    public void CloneKeepsTheTier()
    {
        var clone = (QwenPromptExecutionSettings)new QwenPromptExecutionSettings { ReasoningEffort = "high" }.Clone();

        Assert.Equal("high", clone.ReasoningEffort);
    }
}
